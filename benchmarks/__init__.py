"""Benchmarks: glassgrad side by side with micrograd and PyTorch, run by ``make bench``.

``python -m benchmarks`` runs every workload in fresh processes, interleaved, and prints one
table of medians and ratios, then whether each speed and memory target holds. A module per
workload; each also runs alone as a worker that prints its measurements as one JSON line:

- :mod:`benchmarks.moons`: one training step of micrograd's demo (MLP 2-16-16-1, 100 moons).
- :mod:`benchmarks.memory`: live bytes per graph node (tracemalloc).
- :mod:`benchmarks.chain`: build and backward of a 1,000,000-node chain.
- :mod:`benchmarks.finite_differences`: finite differences against backward, growing MLPs.
- :mod:`benchmarks.rendering`: ``to_svg`` of a 2,000-node graph.
"""
