# tests/cli_semantics.sh: inputs that `check` used to accept and `run` then refused without a
# position (issue 9), and what `check` shows of the model's semantics. Each is now refused by
# `check` and `run` alike, at its cell.
source "$(dirname "$0")/cli-lib.sh"

# A horizon past 9999-12-31 wrapped to year 0000 in every date written.
bad horizon_past_9999 scenario.csv 's/2025-01-01/9999-06-15/' \
    'scenario.csv:5:15: error: horizon_years 2 from 9999-06-15 ends after 9999-12-31.*latest end is 9999-12-15'
bad horizon_from_last_month scenario.csv 's/2025-01-01/9999-12-01/' \
    'scenario.csv:5:15: error: .*start earlier'

# Distributions whose draws the number cannot take, one or more per kind of cell.
T='s/^f,a,b,2,rate_per_year/f,a,b,'
bad beta_annual_probability transitions.csv "${T}\"beta(1,0.01)\",annual_probability/" \
    "transitions.csv:2:7: error: 'beta\(1,0.01\)' can draw 1 \(the upper end of its range\), and then an annual_probability must be at least 0 and below 1"
bad uniform_annual_probability transitions.csv "${T}\"uniform(0.1,1.1)\",annual_probability/" \
    "transitions.csv:2:7: error: value is a probability, but 'uniform\(0.1,1.1\)'"
bad gamma_mean_years_zero transitions.csv "${T}\"gamma(1e-300,1)\",mean_years/" \
    "transitions.csv:2:7: error: 'gamma\(1e-300,1\)' can draw 0 .*mean_years must be above 0"
bad lognormal_rate_no_mean transitions.csv "${T}\"lognormal(1000,1)\",rate_per_year/" \
    "transitions.csv:2:7: error: 'lognormal\(1000,1\)' has no finite mean"
bad lognormal_rate_overflow transitions.csv "${T}\"lognormal(700,2)\",rate_per_year/" \
    "transitions.csv:2:7: error: 'lognormal\(700,2\)' cannot be drawn"
bad uniform_rate_negative transitions.csv "${T}\"uniform(-1,1)\",rate_per_year/" \
    "transitions.csv:2:7: error: value cannot be negative"
bad initial_cannot_rescale factors.csv 's/^f,a,1,/f,a,"uniform(0.9999995,1)",/' \
    "factors.csv:2:5: error: 'uniform\(0.9999995,1\)' can draw 0.9999995 .*cannot be shared"
bad initial_pair_cannot_rescale factors.csv 's/^f,a,1,/f,a,"beta(1e-300,1)",/; s/^f,b,0,/f,b,"uniform(0.999999,1)",/' \
    "factors.csv:3:5: error: 'uniform\(0.999999,1\)' can draw 0.999999 while the other distributions of its row"
bad effect_probability_zero effects.csv 'write:trigger,probability,delay_days,delay,action,source\nf:a>b,"beta(1e-300,1)",0,fixed,f=a,x\n' \
    "effects.csv:2:7: error: 'beta\(1e-300,1\)' can draw 0 .*an effect's probability must be above 0"
# ... and what to do instead: a small probability (the message stopped at "not 0" before)
bad effect_probability_zero_says_what_to_do effects.csv 'write:trigger,probability,delay_days,delay,action,source\nf:a>b,"beta(1e-300,1)",0,fixed,f=a,x\n' \
    "effects.csv:2:7: error: .*an effect's probability must be above 0 and at most 1, not 0: at 0 the effect would never happen; for a rare one, use a small probability such as 0.001$"
bad effect_delay_overflow effects.csv 'write:trigger,probability,delay_days,delay,action,source\nf:a>b,1,"lognormal(700,2)",fixed,f=a,x\n' \
    "effects.csv:2:9: error: 'lognormal\(700,2\)' cannot be drawn"
bad season_mean_zero seasonality.csv 'write:target,month,multiplier,source\nf:a>b,3,"uniform(0,5e-324)",x\n' \
    "seasonality.csv:2:9: error: 'uniform\(0,5e-324\)' has mean 0"

# `run` refuses the same input with the same position, before any replication.
d="$work/run-beta"; rm -rf "$d"; cp -r tests/models/two_state "$d"
sed -i "${T}\"beta(1,0.01)\",annual_probability/" "$d/transitions.csv"
expect run_refuses_at_the_cell 65 "transitions.csv:2:7: error: 'beta\(1,0.01\)' can draw 1" -- \
    run "$d" --runs 10 --quiet --out "$work/run-beta-out"
check_that "run wrote nothing" test ! -e "$work/run-beta-out"

# Accepted extremes still run: a probability that may come close to 1, a distribution of a rate
# that reaches 0, a draw row with an uncertain entry.
d="$work/ok"; rm -rf "$d"; cp -r tests/models/two_state "$d"; rm "$d/levers.csv"
sed -i "${T}\"uniform(0,1)\",annual_probability/; s/^f,b,a,0.5,mean_years/f,b,a,\"beta(1,0.9)\",annual_probability/" "$d/transitions.csv"
expect extremes_that_run 0 "" -- run "$d" --runs 200 --quiet --out "$work/ok-out"

# `check` names each effect's delay in the terms of effects.csv (it showed "delay 90.0 days" for
# every kind), and the distribution of an uncertain delay or probability.
expect check_delay_fixed 0 'p=0.5, delay uniform\(0 to 30 days\) -> draw:election' -- check tests/fixtures/valid
expect check_delay_uniform 0 'p=1, delay 0 days \(fixed\) -> war=tension' -- check tests/fixtures/valid
expect check_delay_exponential 0 'p=0.25, delay exponential\(mean 365.25 days\) -> war=peace' -- check tests/fixtures/valid
d="$work/delay-dist"; rm -rf "$d"; cp -r tests/models/delay "$d"
sed -i 's/^f:a>b,0.8,182.625/f:a>b,"beta(8,2)","gamma(2,45)"/' "$d/effects.csv"
expect check_delay_distribution 0 'p=0.8 \(mean of beta\(8,2\)\), delay 90 days \(fixed; days: mean of gamma\(2,45\)\) -> h=on' -- check "$d"

cli_done semantics
