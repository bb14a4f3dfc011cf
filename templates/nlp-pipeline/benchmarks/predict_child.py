"""One memory measurement of `benchmarks.predict` in a fresh process: MODE SOURCE MODEL_DIR BATCH_SIZE."""

import json
import sys
from pathlib import Path

from benchmarks.predict import run_child

if __name__ == "__main__":
    mode, source, model_dir, batch_size = sys.argv[1:]
    print(json.dumps(run_child(mode, Path(source), Path(model_dir), int(batch_size))))
