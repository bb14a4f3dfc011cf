"""Tests of ingestion: loaders, chunking and the pipeline that stores documents."""
