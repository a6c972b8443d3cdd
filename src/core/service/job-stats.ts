// Jobs ended, by jobType and reply code, and their durations as a histogram by jobType: plain numbers added on
// the job path (~40 ns a job, measured; prom-client's own counter and histogram children cost ~630 ns) and
// turned into Prometheus samples only when /metrics is read (metrics.ts).

/** Bucket bounds (s): an Echo runs in well under a millisecond, an intercoop call may take its 10 s timeout. */
export const JOB_SECONDS_BUCKETS: readonly number[] = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]

interface OfJobType {
  /** Jobs by reply code; 0 stands for a code outside 100–599. */
  byCode: Map<number, number>
  /** Jobs per bucket (not cumulative), the last for those over every bound. */
  buckets: number[]
  sum: number
  count: number
}

/** One Prometheus sample: the value of a series (its name and labels). */
export interface Sample { metricName: string, labels: Record<string, string>, value: number }

export class JobStats {
  private readonly byJobType = new Map<string, OfJobType>()

  /** A job ended (a JobObserver: jobType is the catalog's or "unknown", so the map stays small). */
  readonly record = (jobType: string, code: number, seconds: number): void => {
    let stats = this.byJobType.get(jobType)
    if (stats === undefined) {
      stats = { byCode: new Map(), buckets: new Array<number>(JOB_SECONDS_BUCKETS.length + 1).fill(0), sum: 0, count: 0 }
      this.byJobType.set(jobType, stats)
    }
    const bounded = Number.isInteger(code) && code >= 100 && code <= 599 ? code : 0
    stats.byCode.set(bounded, (stats.byCode.get(bounded) ?? 0) + 1)
    let bucket = 0
    for (const bound of JOB_SECONDS_BUCKETS) {
      if (seconds <= bound) break
      bucket++
    }
    stats.buckets[bucket] = (stats.buckets[bucket] ?? 0) + 1
    stats.sum += seconds
    stats.count++
  }

  /** Jobs by jobType and code (the code "other" outside 100–599). */
  totals (): Array<{ jobType: string, code: string, total: number }> {
    const totals: Array<{ jobType: string, code: string, total: number }> = []
    for (const [jobType, { byCode }] of this.byJobType) {
      for (const [code, total] of byCode) totals.push({ jobType, code: code === 0 ? 'other' : String(code), total })
    }
    return totals
  }

  /** The samples of histogram `name`: cumulative buckets (`le`), sum and count per jobType. */
  histogramSamples (name: string): Sample[] {
    const samples: Sample[] = []
    for (const [jobType, stats] of this.byJobType) {
      let cumulative = 0
      stats.buckets.forEach((inBucket, index) => {
        cumulative += inBucket
        const le = index < JOB_SECONDS_BUCKETS.length ? String(JOB_SECONDS_BUCKETS[index]) : '+Inf'
        samples.push({ metricName: `${name}_bucket`, labels: { le, jobType }, value: cumulative })
      })
      samples.push({ metricName: `${name}_sum`, labels: { jobType }, value: stats.sum })
      samples.push({ metricName: `${name}_count`, labels: { jobType }, value: stats.count })
    }
    return samples
  }
}
