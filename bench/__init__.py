"""Benchmarks of the standard workloads (``../shared/bench/WORKLOADS.md``): ``python -m bench``.

One script per workload (``w1_snn_bptt``, ``w2_lstm_bptt``, ``w3_coba``, ``w4_ngrc``), each
timing neurodyn against a hand-written baseline in the same process and printing one JSON
line; ``_harness`` holds the shared timing/memory/output helpers. See ``README.md``.
"""
