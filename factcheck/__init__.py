"""factcheck: trace every number, date and quote in a pile of documents to its exact excerpt."""

__version__ = "0.1.0"
