# D4 only (sort_by_x), as shared/peers/dask/bench_dataframe.py does it, plus peak RSS of every process.
import sys, time, statistics, resource
sys.path.insert(0, "/work/shared/peers/dask")
import dask, dask.dataframe as dd
def main():
    global client, cluster
    mode = sys.argv[1]
    PATTERN = "/tmp/peerdata/csv/*.csv"
    client = cluster = None
    if mode == "dist":
        from distributed import Client, LocalCluster, wait
        cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0")
        client = Client(cluster)
    else:
        dask.config.set(scheduler="threads")
    ddf = dd.read_csv(PATTERN).persist()
    if client is not None:
        wait(ddf)
    runs = []
    for i in range(3):
        t0 = time.perf_counter()
        r = ddf.set_index("x").map_partitions(len).compute()
        runs.append(time.perf_counter() - t0)
    peaks = {"client": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024}
    if client is not None:
        def hwm():
            for line in open("/proc/self/status"):
                if line.startswith("VmHWM"):
                    return int(line.split()[1]) // 1024
        peaks.update(client.run(hwm))
    print({"mode": mode, "median_s": round(statistics.median(runs), 3), "runs": [round(x, 3) for x in runs],
           "check": [int(r.sum()), len(r)], "peak_rss_mb": peaks})
    if client is not None:
        client.close(); cluster.close()


if __name__ == '__main__':
    main()
