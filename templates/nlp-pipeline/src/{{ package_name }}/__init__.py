"""Sentiment analysis of product reviews: ingest, train, evaluate and predict as a streaming pipeline."""
