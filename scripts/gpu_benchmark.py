"""Measure training speed of LSTM/GRU layers and record it for the GPU chapter.

Run it on a machine with a GPU, once on the GPU and once on its CPU, so that the chapter
can compare the two on the same settings::

    KERAS_BACKEND=tensorflow python scripts/gpu_benchmark.py
    CUDA_VISIBLE_DEVICES= KERAS_BACKEND=tensorflow python scripts/gpu_benchmark.py --append

(with JAX: ``KERAS_BACKEND=jax``, and ``JAX_PLATFORMS=cpu`` for the CPU run). Each
setting is timed with :func:`rnn_utils.timing.time_training_steps` (median of
``--repeats`` steps after ``--warmup`` untimed ones); on a GPU each LSTM/GRU setting is
timed with the cuDNN kernel and with the generic kernel (``use_cudnn=False``). The rows go
to ``rnn_utils/recorded/gpu_benchmark.csv`` (``scripts/record_files.py``; columns:
device, backend, date, layer, batch_size, length, units, kernel, seconds_per_step);
re-execute ``notebooks/10_gpu.ipynb`` to show them.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(
    0, str(Path(__file__).resolve().parent)
)  # the tooling beside this script
import record_files


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected a positive integer, got {text!r}"
        ) from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {text!r}")
    return value


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """The command line, checked (an invalid value exits with status 2 and a message)."""
    from rnn_utils.timing import LAYER_TYPES

    parser = argparse.ArgumentParser(
        prog="gpu_benchmark.py",
        description=(
            "Time training steps of recurrent layers on the device Keras uses (set the "
            "backend with KERAS_BACKEND) and write them to a CSV file for the GPU chapter."
        ),
    )
    parser.add_argument(
        "--layers",
        nargs="+",
        choices=LAYER_TYPES,
        default=["lstm", "gru"],
        help="layer types",
    )
    parser.add_argument(
        "--batch-sizes",
        nargs="+",
        type=_positive,
        default=[1, 16, 64, 256, 1024],
        help="batch sizes (sequences per step)",
    )
    parser.add_argument(
        "--lengths", nargs="+", type=_positive, default=[100], help="sequence lengths"
    )
    parser.add_argument(
        "--units",
        nargs="+",
        type=_positive,
        default=[128, 512],
        help="recurrent layer widths",
    )
    parser.add_argument(
        "--features", type=_positive, default=32, help="inputs per time step"
    )
    parser.add_argument(
        "--repeats", type=_positive, default=10, help="timed steps per setting"
    )
    parser.add_argument(
        "--warmup", type=_positive, default=3, help="untimed steps first"
    )
    parser.add_argument(
        "--kernels",
        nargs="+",
        choices=["auto", "generic"],
        default=["auto", "generic"],
        help="'auto': Keras' choice (cuDNN where eligible); 'generic': use_cudnn=False",
    )
    parser.add_argument(
        "--output",
        default=str(record_files.GPU_RECORD),
        help="CSV file to write (default: %(default)s)",
    )
    parser.add_argument(
        "--append",
        action="store_true",
        help="add rows to an existing file instead of replacing it",
    )
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark and write the CSV file; returns the exit status."""
    args = parse_args(argv)
    import rnn_utils

    env = rnn_utils.setup(verbose=True)
    from rnn_utils import timing

    rows = []
    for layer in args.layers:
        for units in args.units:
            for length in args.lengths:
                for batch_size in args.batch_sizes:
                    seen_kernels = set()
                    for choice in args.kernels:
                        if layer == "simple_rnn" and choice == "generic":
                            continue  # SimpleRNN has only the generic kernel
                        measured = timing.time_training_steps(
                            layer,
                            batch_size=batch_size,
                            length=length,
                            units=units,
                            features=args.features,
                            repeats=args.repeats,
                            warmup=args.warmup,
                            use_cudnn="auto" if choice == "auto" else False,
                            seed=env.seed,
                        )
                        if measured.kernel in seen_kernels:
                            continue  # on a CPU 'auto' already was the generic kernel
                        seen_kernels.add(measured.kernel)
                        rows.append(record_files.to_record(measured))
                        print(
                            f"{measured.device} {measured.backend} {layer} "
                            f"batch_size {batch_size} length {length} units {units} "
                            f"{measured.kernel}: "
                            f"{measured.seconds_per_step * 1e3:.2f} ms per step",
                            flush=True,
                        )
    path = record_files.write_records(rows, args.output, append=args.append)
    print(f"wrote {len(rows)} rows to {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
