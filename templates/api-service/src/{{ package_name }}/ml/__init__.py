"""The model: training, versioned artifacts, and the predictor the API serves."""
