#!/usr/bin/env python3
"""Reference vectors for the nb_local_level model (src/domain/models/nb-local-level), independently of
the TypeScript code: NumPy/SciPy (Debian's python3-numpy, python3-scipy), run as

    /usr/bin/python3 test/reference/nb-local-level/generate.py

from the project root. Reads ../shared/data (never copies it) and writes vectors.json beside this file:
for a few Monday origins, the log-likelihood at fixed parameters and the maximum-likelihood estimate.

The model (docs/models/nb-local-level.md): daily 24 h blocks y_1..y_n ending at the origin (n <= 420),
hour-of-week weights w_j = 168 (c_j + 1) / sum(c + 1) from the 8 weeks before the origin, block factor
f_t = mean weight of its 24 hours, mu_t = exp(lambda_t) f_t, y_t ~ NB2(mu_t, size k),
lambda_{t+1} = lambda_t + alpha (y_t - mu_t) / sqrt(mu_t + mu_t^2 / k),
lambda_1 = log(mean(y_1..y_7) + 0.5).
"""
import csv
import json
import os
from datetime import datetime, timezone

import numpy as np
from scipy.optimize import minimize
from scipy.stats import nbinom

HERE = os.path.dirname(os.path.abspath(__file__))
CSV = os.path.join(HERE, "..", "..", "..", "..", "shared", "data", "elonmusk-tweets-2022-11-to-2025-12.csv")
HOUR = 3_600_000
MAX_BLOCKS = 420
ORIGINS = ["2024-03-04", "2025-03-03", "2025-10-06"]
PARAMS = [(0.1, 10.0), (0.3, 4.0), (0.05, 25.0)]


def load_ms():
    with open(CSV) as f:
        r = csv.reader(f)
        next(r)
        ms = [int(datetime.strptime(row[1], "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=timezone.utc).timestamp() * 1000) for row in r]
    return np.sort(np.array(ms, dtype=np.int64))


def hour_of_week(ms):
    return (ms // HOUR + 72) % 168


def data_at(ms, origin):
    first_hour = (ms[0] // HOUR) * HOUR
    n = min(MAX_BLOCKS, (origin - first_hour) // (24 * HOUR))
    start = origin - n * 24 * HOUR
    sel = ms[(ms >= start) & (ms < origin)]
    hourly = np.bincount(((sel - start) // HOUR).astype(np.int64), minlength=n * 24).astype(float)
    y = hourly.reshape(n, 24).sum(axis=1)
    hours = start + np.arange(n * 24, dtype=np.int64) * HOUR
    last8 = slice(max(0, n * 24 - 8 * 168), n * 24)
    c = np.ones(168)
    np.add.at(c, hour_of_week(hours[last8]), hourly[last8])
    w = 168 * c / c.sum()
    f = np.array([w[hour_of_week(start + b * 24 * HOUR + np.arange(24, dtype=np.int64) * HOUR)].mean() for b in range(n)])
    return y, f


def loglik(alpha, k, y, f):
    lam = np.log(y[:7].mean() + 0.5)
    ll = 0.0
    for t in range(len(y)):
        mu = np.exp(lam) * f[t]
        ll += nbinom.logpmf(y[t], k, k / (k + mu))
        lam += alpha * (y[t] - mu) / np.sqrt(mu + mu * mu / k)
    return ll


def mle(y, f):
    obj = lambda x: -loglik(np.exp(x[0]), np.exp(x[1]), y, f) / len(y)
    best = None
    for a0, k0 in [(0.1, 10.0), (0.3, 3.0), (0.03, 30.0)]:
        r = minimize(obj, [np.log(a0), np.log(k0)], method="Nelder-Mead", options={"xatol": 1e-10, "fatol": 1e-14, "maxiter": 4000})
        if best is None or r.fun < best.fun:
            best = r
    return float(np.exp(best.x[0])), float(np.exp(best.x[1])), float(-best.fun * len(y))


def main():
    ms = load_ms()
    out = {"generator": "test/reference/nb-local-level/generate.py", "scipy_nbinom": "logpmf(y, k, k/(k+mu))", "cases": []}
    for day in ORIGINS:
        origin = int(datetime.strptime(day, "%Y-%m-%d").replace(tzinfo=timezone.utc).timestamp() * 1000)
        y, f = data_at(ms, origin)
        a, k, ll = mle(y, f)
        out["cases"].append(
            {
                "origin": day + "T00:00:00Z",
                "blocks": int(len(y)),
                "blockSum": float(y.sum()),
                "factorsFirst": [float(v) for v in f[:3]],
                "loglik": [{"alpha": p[0], "size": p[1], "value": float(loglik(p[0], p[1], y, f))} for p in PARAMS],
                "mle": {"alpha": a, "size": k, "loglik": ll},
            }
        )
    with open(os.path.join(HERE, "vectors.json"), "w") as fh:
        json.dump(out, fh, indent=2)
        fh.write("\n")


if __name__ == "__main__":
    main()
