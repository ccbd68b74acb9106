"""Document ingestion: loading files into text and metadata."""
