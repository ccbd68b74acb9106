"""Writing `backup FILE` and `export -o FILE` safely (factcheck.safe_write), and reading `restore` input from
pipes, FIFOs and standard input."""

from __future__ import annotations

import gzip
import json
import os
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from factcheck import backup as fb
from factcheck.cli import main
from factcheck.db import make_engine
from factcheck.safe_write import OutputError, SafeOutput, write_chunks, writes_to_stdout

ROOT = Path(__file__).resolve().parent.parent


def run(capsys, *argv):
    """Run the CLI in-process; return (status, stdout, stderr)."""
    status = main(list(argv))
    out = capsys.readouterr()
    return status, out.out, out.err


def cli(*argv, stdin=None, input_=None) -> subprocess.CompletedProcess:
    """Run `python -m factcheck ARGV` in a child process with binary pipes."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("FACTCHECK_DB", None)
    return subprocess.run([sys.executable, "-m", "factcheck", *argv], stdin=stdin, input=input_,
                          capture_output=True, env=env, timeout=120)


def leftovers(folder: Path) -> list[str]:
    """Temporary files left in a folder."""
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def is_backup(data: bytes) -> bool:
    """Whether bytes are a whole factcheck backup (header ... end marker)."""
    lines = gzip.decompress(data).decode().splitlines()
    return json.loads(lines[0])["format"] == "factcheck-backup" and json.loads(lines[-1])["end"] is True


# --- 5. regular files: a private temporary file, never a planted one ------------------------------------------


@pytest.mark.parametrize("command", ["backup", "export"])
def test_a_symlink_planted_at_the_old_temporary_name_is_not_followed(capsys, review_db, tmp_path, command):
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n")
    target = tmp_path / "out.file"
    (tmp_path / ".out.file.tmp").symlink_to(victim)  # where the old code wrote first
    argv = ["backup", str(target)] if command == "backup" else ["export", "--format", "json", "-o", str(target)]
    status, _, err = run(capsys, "--db", review_db, *argv)
    assert status == 0, err
    assert victim.read_text() == "precious\n"
    assert (tmp_path / ".out.file.tmp").is_symlink()  # untouched
    assert is_backup(target.read_bytes()) if command == "backup" else json.loads(target.read_text())["claims"]
    assert leftovers(tmp_path) == [".out.file.tmp"]


def test_replacing_a_file_keeps_its_permissions_and_a_new_one_follows_the_umask(tmp_path):
    old = tmp_path / "old.json"
    old.write_text("old")
    old.chmod(0o640)
    write_chunks(old, ["new", " text"])
    assert old.read_text() == "new text" and stat.S_IMODE(old.stat().st_mode) == 0o640
    mask = os.umask(0o027)
    try:
        write_chunks(tmp_path / "fresh.json", ["x"])
    finally:
        os.umask(mask)
    assert stat.S_IMODE((tmp_path / "fresh.json").stat().st_mode) == 0o640


def test_a_symlink_to_a_file_is_written_through_and_stays_a_link(tmp_path):
    real = tmp_path / "data" / "real.csv"
    real.parent.mkdir()
    real.write_text("old")
    link = tmp_path / "link.csv"
    link.symlink_to(real)
    out = write_chunks(link, ["a,b\n"])
    assert link.is_symlink() and real.read_text() == "a,b\n" and out.bytes == 4 and not out.streamed
    assert leftovers(tmp_path) == [] and leftovers(real.parent) == []


def test_a_dangling_symlink_and_a_folder_are_refused(capsys, review_db, tmp_path):
    dangling = tmp_path / "d.json"
    dangling.symlink_to(tmp_path / "nowhere" / "x.json")
    for target in (dangling, tmp_path):
        status, out, err = run(capsys, "--db", review_db, "export", "--format", "json", "-o", str(target))
        assert (status, out) == (1, "") and len(err.splitlines()) == 1 and err.startswith("error: "), err
    assert not (tmp_path / "nowhere").exists() and leftovers(tmp_path) == []


def test_a_failed_write_leaves_the_old_file_and_no_temporary_file(tmp_path):
    target = tmp_path / "out.json"
    target.write_text("old")

    def chunks():
        yield "half"
        raise OSError(28, "No space left on device")

    with pytest.raises(OutputError, match=r"out\.json: No space left on device$"):
        write_chunks(target, chunks())
    assert target.read_text() == "old" and leftovers(tmp_path) == []


def test_a_failed_export_or_backup_is_one_error_line_and_leaves_nothing(capsys, review_db, tmp_path, monkeypatch):
    from factcheck.export import json_data

    def broken(data):
        yield "{"
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(json_data, "chunks", broken)
    status, out, err = run(capsys, "--db", review_db, "export", "--format", "json", "-o", str(tmp_path / "x.json"))
    assert (status, out) == (1, "") and err == f"error: {tmp_path / 'x.json'}: Input/output error\n"
    monkeypatch.setattr(fb, "_encode", lambda v: (_ for _ in ()).throw(OSError(28, "No space left on device")))
    status, out, err = run(capsys, "--db", review_db, "backup", str(tmp_path / "b.gz"))
    assert (status, out) == (1, "") and err == f"error: {tmp_path / 'b.gz'}: No space left on device\n"
    assert not (tmp_path / "x.json").exists() and not (tmp_path / "b.gz").exists() and leftovers(tmp_path) == []


# --- 5. devices, FIFOs, /dev/fd/N, /dev/stdout and '-': straight through ---------------------------------------


def test_a_character_device_is_written_to_not_replaced(capsys, review_db):
    before = os.stat("/dev/null")
    status, _, err = run(capsys, "--db", review_db, "export", "--format", "csv", "-o", "/dev/null")
    assert status == 0, err
    status, _, err = run(capsys, "--db", review_db, "backup", "/dev/null")
    assert status == 0, err
    after = os.stat("/dev/null")
    assert stat.S_ISCHR(after.st_mode) and after.st_rdev == before.st_rdev and after.st_ino == before.st_ino


def _read_fifo(path: Path, into: list) -> threading.Thread:
    """A thread that reads a FIFO to its end into the list."""
    def read() -> None:
        with open(path, "rb") as f:
            into.append(f.read())
    thread = threading.Thread(target=read, daemon=True)
    thread.start()
    return thread


def test_a_fifo_gets_the_bytes_and_stays_a_fifo(capsys, review_db, tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = _read_fifo(fifo, got)
    status, out, err = run(capsys, "--db", review_db, "backup", str(fifo))
    reader.join(30)
    assert status == 0, err
    assert stat.S_ISFIFO(fifo.stat().st_mode) and is_backup(got[0])
    assert out.startswith(f"wrote {fifo}: ") and f"{len(got[0]):,} bytes" in out
    assert leftovers(tmp_path) == []


def test_dev_fd_1_dev_stdout_and_dash_write_to_standard_output(review_db):
    done = cli("--db", review_db, "export", "--format", "json", "-o", "/dev/fd/1")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["claims"]
    for name in ("/dev/stdout", "-"):
        done = cli("--db", review_db, "backup", name)
        assert done.returncode == 0, done.stderr
        assert is_backup(done.stdout) and done.stderr.decode().startswith(f"wrote {name}: ")  # summary on stderr


def test_writes_to_stdout():
    assert writes_to_stdout("-") and writes_to_stdout("/dev/stdout") and writes_to_stdout("/dev/fd/1")
    assert not writes_to_stdout("/dev/null") and not writes_to_stdout("/no/such/file")


def test_dash_writes_through_sys_stdout(capsys):
    print("first", flush=False)
    with SafeOutput("-") as f:
        f.write("ü\n".encode())
    assert capsys.readouterr().out == "first\nü\n"


# --- 16. restore from a pipe, a FIFO or standard input: read once ---------------------------------------------


@pytest.fixture
def backup_file(capsys, review_db, tmp_path) -> Path:
    """A backup of the seeded database."""
    path = tmp_path / "seeds.gz"
    assert run(capsys, "--db", review_db, "backup", str(path))[0] == 0
    return path


def _counts(db: str) -> dict:
    """Rows per table."""
    engine = make_engine(db)
    try:
        with engine.connect() as conn:
            return fb.row_counts(conn)
    finally:
        engine.dispose()


def _feed(fifo: Path, data: bytes) -> threading.Thread:
    """A thread that writes data into a FIFO (it opens when a reader opens the FIFO; a reader gone is fine)."""
    def write() -> None:
        try:
            with open(fifo, "wb") as f:
                f.write(data)
        except BrokenPipeError:
            pass
    thread = threading.Thread(target=write, daemon=True)
    thread.start()
    return thread


def test_restore_from_a_fifo_once_its_writer_comes(capsys, backup_file, make_db_url, tmp_path, review_db,
                                                   monkeypatch):
    import tempfile

    spool = tmp_path / "spool"
    spool.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(spool))
    fifo = tmp_path / "in.fifo"
    os.mkfifo(fifo)
    writer = _feed(fifo, backup_file.read_bytes())
    target = make_db_url("sqlite")
    status, out, err = run(capsys, "--db", target, "restore", str(fifo))
    writer.join(30)
    assert status == 0, err
    assert out.startswith(f"restored {fifo}: ") and _counts(target) == _counts(review_db)
    assert list(spool.iterdir()) == []  # the spooled copy is gone


@pytest.mark.parametrize("name", ["/dev/stdin", "-"])
def test_restore_from_standard_input_through_a_pipe(backup_file, make_db_url, review_db, name):
    target = make_db_url("sqlite")
    done = cli("--db", target, "restore", name, input_=backup_file.read_bytes())
    assert done.returncode == 0, done.stderr
    assert done.stdout.decode().startswith(f"restored {name}: ") and _counts(target) == _counts(review_db)


def test_restore_from_a_pipe_past_the_size_limit_is_one_clear_error(backup_file, make_db_url, tmp_path):
    fifo = tmp_path / "in.fifo"
    os.mkfifo(fifo)
    _feed(fifo, backup_file.read_bytes())
    target = make_db_url("sqlite")
    engine = make_engine(target)
    with pytest.raises(fb.BackupError, match=r"in\.fifo: more than 1,000 bytes from a stream; save it to a file"):
        fb.restore(engine, fifo, limit=1000)
    assert not any(_counts(target).values())


def test_a_damaged_backup_from_a_pipe_is_one_error_line(backup_file, make_db_url):
    data = backup_file.read_bytes()
    done = cli("--db", make_db_url("sqlite"), "restore", "-", input_=data[: len(data) // 2])
    err = done.stderr.decode()
    assert done.returncode == 1 and len(err.splitlines()) == 1 and err.startswith("error: -: "), err
    assert "Traceback" not in err
