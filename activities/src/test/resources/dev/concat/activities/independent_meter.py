#!/usr/bin/env python3
"""An independent loudness meter for the tests: FFmpeg only decodes, pyloudnorm measures.

Usage: independent_meter.py FILE
Prints one JSON object: integratedLufs (ITU-R BS.1770-4, pyloudnorm), truePeakDb (4x oversampled
peak, BS.1770-4 Annex 2), loudnessRangeLu (EBU Tech 3342, computed here from pyloudnorm's
K-weighting), samples (decoded sample frames per channel) and sampleRate.
"""
import json
import subprocess
import sys

import numpy as np
import pyloudnorm
import scipy.signal


def decode(path):
    probe = subprocess.run(
        ["ffprobe", "-v", "error", "-select_streams", "a:0", "-show_entries", "stream=sample_rate,channels",
         "-of", "json", path], check=True, capture_output=True, text=True)
    stream = json.loads(probe.stdout)["streams"][0]
    rate, channels = int(stream["sample_rate"]), int(stream["channels"])
    raw = subprocess.run(
        ["ffmpeg", "-nostdin", "-v", "error", "-i", path, "-map", "0:a:0", "-f", "f64le", "-c:a", "pcm_f64le",
         "-"], check=True, capture_output=True).stdout
    return np.frombuffer(raw, dtype="<f8").reshape(-1, channels), rate


def true_peak_db(audio):
    peak = 0.0
    for channel in audio.T:
        # BS.1770-4 Annex 2: 4x oversampling, then the largest absolute value.
        peak = max(peak, float(np.max(np.abs(scipy.signal.resample_poly(channel, 4, 1)))))
    return 20 * np.log10(peak) if peak > 0 else float("-inf")


def loudness_range_lu(meter, audio, rate):
    # EBU Tech 3342 (2023), as its MATLAB reference: short-term loudness of 3 s windows every
    # 0.1 s, kept at or above -70 LUFS, then at or above 20 LU below their power mean; the range
    # runs from the 10th to the 95th percentile, each the sorted value at rank round((n-1)*p/100 + 1).
    # (numpy's percentile interpolates between ranks instead, which is not Tech 3342's definition.)
    weighted = audio.copy()
    for stage in meter._filters.values():
        for channel in range(weighted.shape[1]):
            weighted[:, channel] = stage.apply_filter(weighted[:, channel])
    window, hop = int(3 * rate), int(0.1 * rate)
    if len(weighted) < window:
        return 0.0
    power = np.cumsum(np.concatenate([np.zeros((1, weighted.shape[1])), weighted ** 2]), axis=0)
    starts = np.arange(0, len(weighted) - window + 1, hop)
    energy = ((power[starts + window] - power[starts]) / window).sum(axis=1)
    with np.errstate(divide="ignore"):
        short_term = -0.691 + 10 * np.log10(energy)
    gated = short_term[short_term >= -70]
    if gated.size == 0:
        return 0.0
    relative = 10 * np.log10(np.mean(10 ** (gated / 10))) - 20
    gated = np.sort(gated[gated >= relative])

    def at_percentile(p):
        return gated[int(np.floor((len(gated) - 1) * p / 100 + 1 + 0.5)) - 1]

    return float(at_percentile(95) - at_percentile(10))


def main():
    audio, rate = decode(sys.argv[1])
    # "DeMan" computes the K-weighting of BS.1770 exactly at any rate; pyloudnorm's default
    # approximation reads 0.04 LU low at 48 kHz.
    meter = pyloudnorm.Meter(rate, filter_class="DeMan")
    integrated = meter.integrated_loudness(audio)
    print(json.dumps({
        "integratedLufs": integrated if np.isfinite(integrated) else -1000.0,
        "truePeakDb": true_peak_db(audio) if np.any(audio) else -1000.0,
        "loudnessRangeLu": loudness_range_lu(meter, audio, rate),
        "samples": len(audio),
        "sampleRate": rate,
    }))


if __name__ == "__main__":
    main()
