"""The Dask baseline of `npm run bench` (scripts/bench/throughput.ts): N tasks that each run
`true` in a subprocess, on a LocalCluster of CORES single-threaded worker processes, timed from
before the cluster starts to the last result (as a user of Dask would see it).
Prints the seconds. Needs Debian's python3-distributed."""
import subprocess
import sys
import time

from dask.distributed import Client, LocalCluster


def run_true(_: int) -> int:
    return subprocess.run(["true"], check=False).returncode


def main() -> None:
    n, cores = int(sys.argv[1]), int(sys.argv[2])
    t0 = time.perf_counter()
    with LocalCluster(n_workers=cores, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        with Client(cluster) as client:
            codes = client.gather(client.map(run_true, range(n), pure=False))
    elapsed = time.perf_counter() - t0
    if any(codes):
        sys.exit("a task failed")
    print(f"{elapsed:.3f}")


if __name__ == "__main__":
    main()
