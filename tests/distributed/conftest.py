# the scripts that test_distributed.py runs in subprocesses are not test modules (nor doctests)
collect_ignore = ["_four_devices.py", "_two_processes.py"]
