# D4 only (sort_by_x), as shared/peers/dask/bench_dataframe.py does it (ddf.set_index("x").map_partitions(len)),
# with the memory accounting of Jask's Runner d4 (benchmarks/src/main/java/io/jask/benchmarks/D4Sort.java):
# every process (this client, which in dist mode also runs the scheduler, and every process below it: nannies,
# workers) is read from /proc/PID/status. Before the case: VmRSS of each (rss_before: the interpreter, the persisted
# frame) and its peak since start (the CSV load included); then the peaks are reset (echo 5 > /proc/PID/clear_refs)
# and VmHWM after one warm-up and three timed runs is the case's peak, summed over the processes too. frame_mb is
# the persisted frame's own size (pandas memory_usage(deep=True)). CPU seconds: user + system of all processes.
# usage: /usr/bin/python3 benchmarks/results/dask_d4_sort_only.py threads|dist
import json, os, statistics, sys, time
import psutil
import dask, dask.dataframe as dd


def status_mb(pid, field):
    try:
        for line in open(f"/proc/{pid}/status"):
            if line.startswith(field):
                return int(line.split()[1]) // 1024
    except OSError:
        return -1
    return -1


def reset_peak(pid):
    try:
        with open(f"/proc/{pid}/clear_refs", "w") as f:
            f.write("5")
        return True
    except OSError:
        return False


def procs():
    me = psutil.Process()
    return [me] + me.children(recursive=True)


def cpu_s(ps):
    total = 0.0
    for p in ps:
        try:
            t = p.cpu_times()
            total += t.user + t.system
        except psutil.Error:
            pass
    return total


def main():
    mode = sys.argv[1]
    client = cluster = None
    if mode == "dist":
        from distributed import Client, LocalCluster, wait
        cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0")
        client = Client(cluster)
    else:
        dask.config.set(scheduler="threads")
    ddf = dd.read_csv("/tmp/peerdata/csv/*.csv").persist()
    if client is not None:
        wait(ddf)
    frame_mb = float(ddf.memory_usage(deep=True).sum().compute()) / 1048576
    ps = procs()
    names = []
    for p in ps:
        try:
            names.append(f"{p.name()}:{p.pid}")
        except psutil.Error:
            names.append(f"?:{p.pid}")
    before = [status_mb(p.pid, "VmRSS:") for p in ps]
    since_start = [status_mb(p.pid, "VmHWM:") for p in ps]
    reset = all([reset_peak(p.pid) for p in ps])
    runs, cpus, r = [], [], None
    for i in range(4):  # one warm-up, three timed
        c0 = cpu_s(ps)
        t0 = time.perf_counter()
        r = ddf.set_index("x").map_partitions(len).compute()
        if i > 0:
            runs.append(time.perf_counter() - t0)
            cpus.append(cpu_s(ps) - c0)
    peaks = [status_mb(p.pid, "VmHWM:") for p in ps]
    print(json.dumps({"bench": "dataframe", "case": "sort_by_x_set_index_" + mode, "engine": "dask " + dask.__version__,
                      "median_s": round(statistics.median(runs), 3), "runs": [round(x, 3) for x in runs],
                      "cpu_s_median_all_processes": round(statistics.median(cpus), 2),
                      "check": [int(r.sum()), len(r)], "processes": names,
                      "peak_rss_mb": peaks, "peak_rss_mb_all_processes": sum(peaks), "peak_reset_before_case": reset,
                      "rss_before_mb": before, "rss_before_mb_all_processes": sum(before),
                      "peak_since_start_mb": since_start, "frame_mb": round(frame_mb, 1),
                      "load1": round(os.getloadavg()[0], 2)}), flush=True)
    if client is not None:
        client.close()
        cluster.close()


if __name__ == '__main__':
    main()
