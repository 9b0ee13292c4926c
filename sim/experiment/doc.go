// Package experiment runs studies of many simulations on every core:
// ensembles of scenarios, sensitivity studies, optimisation and
// calibration. Each takes a compiled *sim.Program: Ensemble runs a list
// of scenarios; a Sensitivity, an Optimization or a Calibration is a
// plain struct describing the study, whose Run method makes it:
//
//	sum, err := experiment.Sensitivity{
//		Vary: []experiment.Param{{Name: "churn_rate", Dist: dist}},
//		Runs: 1000, LHS: true, Seed: 1,
//	}.Run(ctx, p, experiment.Options{})
//
// Every study takes a compiled *sim.Program and scenarios that override
// its constants and lookups, so the model is compiled once however many
// runs a study makes. Runs are spread over Options.Workers goroutines
// (every core by default) and their results are used in the order of the
// study, so that a study's answer does not depend on the number of
// workers or on which run finishes first.
//
// # Ensembles
//
// Ensemble runs a list of scenarios and returns their results in input
// order. The first failed run, in input order, stops it and is reported
// as a *RunError naming the scenario.
//
// # Sensitivity
//
// A Sensitivity study draws uncertain constants from distributions
// (Uniform, Normal, TruncNormal, Triangular, LogNormal, and Fixed to pin
// a value; ParseDist reads them as written on the command line), by Monte Carlo or Latin hypercube
// sampling, and summarises chosen variables at each saved time by
// quantiles. A quantile is a fraction in [0, 1] everywhere in this package
// (Sensitivity.Quantiles, Summary.Series, Quantile), as gonum's
// stat.Quantile takes it: 0.95 is the 95th percentile, which the CSV
// heads p95. The draws come from a seeded generator through each
// distribution's quantile function, so the same seed gives the same
// study; a model's own random functions get a seed per run derived from
// the study's. Memory grows with no more than the logarithm of the number
// of runs: each variable at each saved time keeps the values of up to
// Sensitivity.Exact runs (DefaultExact, 2,048), whose percentiles are
// exact (R's type 7), and beyond that a quantile sketch of at most Exact
// values per level (below). For 100,000 runs of a model saved at 61
// times, one variable's summary takes about 1.6 MB.
//
// # Studies in shards
//
// A study too big for one machine runs as Count processes, anywhere, each
// making one Shard of it: Sensitivity.RunShard makes the runs from
// Index·Runs/Count up to (Index+1)·Runs/Count, with exactly the draws and
// the seeds they have in the whole study (the Latin hypercube strata of
// the whole study, too), and Optimization.RunShard and
// Calibration.RunShard run their share of the starts, each from the point
// it has in the whole study. Each returns a Part; WritePart writes it to a
// file (format PartFormat, documented there) and ReadPart reads it back.
// Merge joins parts in any order and refuses parts of different studies
// (a different model, base scenario, distributions, runs, seed, variables,
// percentiles, sketch size or number of shards), naming the fact that
// differs; Part.Summary, Part.Optimum and Part.Fit give the answer once
// every shard is in. A study run whole is the same code with the zero
// Shard, so:
//
//   - while every run's values fit (at most Exact runs), the merged
//     percentiles are exactly those of the study made in one process;
//   - an optimisation or calibration merged from shards finds exactly the
//     optimum of one process: each start's search is deterministic, and
//     merging keeps the lowest cost, ties going to the lowest start.
//
// Beyond Exact runs the percentiles come from a mergeable quantile sketch,
// a hierarchy of compactors (Manku, Rajagopalan and Lindsay, 1998; in the
// mergeable form of Agarwal et al., "Mergeable summaries", 2013). Level h
// holds values that stand for 2^h runs each; a level of more than Exact
// values is sorted and every other value moves up a level. Each
// compaction of level h moves the rank of any value by at most 2^h, so a
// sketch of n runs, merged in any way, has a rank error of at most
// (⌊log₂(n/(Exact+1))⌋+1)/Exact of n: a reported quantile q lies between
// the exact quantiles q − ε and q + ε with ε that fraction (0.0015, or 0.15
// percentile points, for 10,000 runs and the default Exact, 0.29 for
// 100,000, 0.44 for a million, give or take one run), and Summary.RankError gives the bound the
// sketch actually kept, usually well under it. A study run in one process
// and the same study merged from shards are each within that bound of the
// exact percentiles; they need not agree with each other to the last digit.
//
// # Optimisation and calibration
//
// An Optimization chooses constants within bounds to maximise or minimise
// a Payoff (a variable's final value, or its sum or mean over the saved
// times); Optimum.Flat says when every run gave the same payoff. A
// Calibration chooses them to minimise the weighted squared
// difference between model variables and Data read from CSV. Both search
// with Nelder–Mead (gonum.org/v1/gonum/optimize) from several starts,
// run in parallel: the middle of the box and a Latin hypercube of further
// points. The search works in coordinates z that the map
// low + (high−low)·(1−cos πz)/2 takes onto each range, so every run stays
// within the bounds and an optimum on a bound is still reached. Runs that
// fail count as the worst payoff.
package experiment
