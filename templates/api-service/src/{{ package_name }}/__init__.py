"""Churn prediction: train a scikit-learn model on customer data and serve it over HTTP."""
