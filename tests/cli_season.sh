# tests/cli_season.sh: seasonal rows of several months (issue 12): the month cell as a month, a
# range or a list, refused at its cell when malformed or when a month repeats; the row's one
# parameter path (seasonality:TARGET:MONTHS) in check, levers, sweeps and --outer; and variants
# that replace, drop or split a multi-month row of their base.
source "$(dirname "$0")/cli-lib.sh"

# ---- malformed month cells, at their cell (check and run alike, nothing written: see `bad`)
S='write:target,month,multiplier,source\n'
bad month_13 seasonality.csv "${S}f:a>b,13,2,x\n" \
    "seasonality.csv:2:7: error: month 13 is not 1-12 \(in '13'\): write a month 1-12, a range LOW-HIGH such as 3-4"
bad range_without_end seasonality.csv "${S}f:a>b,3-,2,x\n" \
    "seasonality.csv:2:9: error: month list '3-' ends after '-' \(a range is LOW-HIGH\)"
bad range_backwards seasonality.csv "${S}f:a>b,4-3,2,x\n" \
    "seasonality.csv:2:7: error: the range 4-3 runs backwards: .*write the lower month first \(3-4\)"
bad range_across_new_year seasonality.csv "${S}f:a>b,12-2,2,x\n" \
    "seasonality.csv:2:7: error: the range 12-2 runs backwards: for a season across the new year, write two ranges \(12\|1-2\)"
bad month_name seasonality.csv "${S}f:a>b,3-4|Aug,2,x\n" \
    "seasonality.csv:2:11: error: months are numbers: write 8 for 'Aug'"
bad empty_list_item seasonality.csv "${S}f:a>b,3||4,2,x\n" \
    "seasonality.csv:2:9: error: expected a month after '\|' in '3\|\|4', not '\|'"
bad quoted_list_item seasonality.csv "${S}f:a>b,\"3-4| 13\",2,x\n" \
    "seasonality.csv:2:13: error: month 13 is not 1-12 \(in '3-4\| 13'\)"
bad month_twice_in_a_row seasonality.csv "${S}f:a>b,3-5|4,2,x\n" \
    "seasonality.csv:2:11: error: month 4 is listed twice in '3-5\|4': list each month once"
bad month_twice_across_rows seasonality.csv "${S}f:a>b,3-4,2,x\nf:b>a,4,2,x\nf:a>b,8|4,3,x\n" \
    "seasonality.csv:4:7: error: the multiplier of 'f:a>b' in month 4 is given twice \(first at line 2, months '3-4'\): list each month in one row of 'f:a>b' only"

# ---- a valid multi-month row: one number, one path
m="$work/m"; cp -r tests/models/two_state "$m"
printf 'target,month,multiplier,source\nf:a>b, 3 - 4 | 8 ,"uniform(1,3)",one judgment\nf:b>a,12,"uniform(1,2)",one month\n' \
    > "$m/seasonality.csv"
expect check_lists_one_number 0 'seasonality:f:a>b:3-4\|8 +uniform\(1,3\) +mean 2' -- check "$m"
expect check_single_month_path 0 'seasonality:f:b>a:12 +uniform\(1,2\)' -- check "$m"
check_that "check: two uncertain numbers, not four" bash -c \
    "'$NEASIM' check '$m' | grep -q '^Uncertain numbers (2,'"

# levers name the row's months by the same path (any spelling of the same months), or one month
printf 'lever,target,operation,value,from_date,description,source\nspring,seasonality:f:a>b:8|3-4,multiply,2,,x,test\nmarch,seasonality:f:a>b:3,set,0,,x,test\n' \
    > "$m/levers.csv"
expect levers_with_month_lists 0 "valid scenario" -- check "$m"
expect compare_with_month_lists 0 "" -- compare "$m" --levers all --runs 200 --seed 2 --quiet --out "$work/m-cmp"
# a lever on every month of the year (a range of rows of both kinds) stops a -> b entirely
printf 'lever,target,operation,value,from_date,description,source\nfrozen,seasonality:f:a>b:1-12,set,0,,x,test\n' \
    > "$m/levers.csv"
expect compare_lever_on_all_months 0 "" -- compare "$m" --levers all --runs 200 --seed 2 --quiet --out "$work/m-frozen"
held() { grep "^$1,.*,in_b,holds," "$work/m-frozen/outcomes.csv" | cut -d, -f6 | sort -u | tr '\n' ' '; }
check_that "a lever on months 1-12 sets every month" [ "$(held frozen)" = "0 " ]
check_that "and the baseline arm still moves" [ "$(held baseline | wc -w)" -gt 5 ]
printf 'lever,target,operation,value,from_date,description,source\nbad,seasonality:f:a>b:3-,multiply,2,,x,test\n' \
    > "$m/levers.csv"
expect lever_path_bad_months 65 "levers.csv:2:25: error: month list '3-' ends after '-'" -- check "$m"
printf 'lever,target,operation,value,from_date,description,source\nbad,seasonality:f:a>b:0-2,multiply,2,,x,test\n' \
    > "$m/levers.csv"
expect lever_path_month_0 65 "levers.csv:2:23: error: month 0 is not 1-12" -- check "$m"
rm "$m/levers.csv"

# sweeps: the row is one column, under its canonical path, labelled with its months
expect sweep_oat_month_list 0 "" -- sweep "$m" --oat --runs 50 --seed 3 --quiet --out "$work/m-oat"
check_that "sweep: parameters.csv names the row once" grep -q \
    '^seasonality:f:a>b:3-4|8,seasonality:f:a>b:3-4|8,2,"uniform(1,3)"'$'\r''$' "$work/m-oat/parameters.csv"
check_that "sweep: design.csv has the row's column" grep -q '^point,seasonality:f:a>b:3-4|8,seasonality:f:b>a:12' \
    "$work/m-oat/design.csv"
expect sweep_params_pattern 0 "" -- sweep "$m" --lhs 3 --params 'seasonality:f:a>b:3-4|8' --runs 50 --seed 3 --quiet --out "$work/m-lhs"
check_that "sweep --params selects the row by its path" bash -c \
    "head -1 '$work/m-lhs/design.csv' | tr -d '\\r' | grep -qx 'point,seasonality:f:a>b:3-4|8,levers'"
printf 'seasonality:f:a>b:4|3|8,seasonality:f:b>a:12\n1.5,1\n2.5,2\n' > "$work/design.csv"
expect sweep_design_month_list 0 "" -- sweep "$m" --design "$work/design.csv" --runs 50 --seed 3 --quiet --out "$work/m-des"
printf 'seasonality:f:a>b:3-4|8,seasonality:f:a>b:8\n1.5,1\n' > "$work/design2.csv"
expect sweep_design_narrower_wins 0 "" -- sweep "$m" --design "$work/design2.csv" --runs 50 --seed 3 --quiet --out "$work/m-des2"
printf 'seasonality:f:a>b:3-13\n1.5\n' > "$work/design3.csv"
expect sweep_design_bad_months 65 "design3.csv:1:21: error: month 13 is not 1-12" -- \
    sweep "$m" --design "$work/design3.csv" --runs 50 --quiet --out "$work/m-des3"

# --outer: a draw of the row is one draw for all its months; 1 and 2 threads give the same bytes
expect outer_month_list 0 "" -- run "$m" --outer 6 --runs 100 --seed 4 --threads 1 --quiet --out "$work/m-o1"
expect outer_month_list_2 0 "" -- run "$m" --outer 6 --runs 100 --seed 4 --threads 2 --quiet --out "$work/m-o2"
same_tables "outer: 1 and 2 threads" "$work/m-o1" "$work/m-o2"

# ---- variants: a multi-month row is replaced or dropped by its key (target, month as written)
base="$work/base"; cp -r "$m" "$base"
variant() {
    rm -rf "$work/$1"; mkdir -p "$work/$1"
    printf 'key,value,source\nextends,../base,test\nname,%s,test\n' "$1" > "$work/$1/scenario.csv"
}
variant rep
printf 'target,month,multiplier,source\nf:a>b, 3 - 4 | 8 ,5,replaced whole\n' > "$work/rep/seasonality.csv"
"$NEASIM" check "$work/rep" --resolved "$work/rep-res" >/dev/null 2>&1
check_that "variant replaces the multi-month row" cmp -s "$work/rep-res/seasonality.csv" \
    <(printf 'target,month,multiplier,source\nf:a>b,3 - 4 | 8,5,replaced whole\nf:b>a,12,"uniform(1,2)",one month\n')
expect variant_replaced_is_plain 0 'Uncertain numbers \(1,' -- check "$work/rep"
variant split
printf 'target,month,multiplier,source,drop\nf:a>b,3 - 4 | 8,,,yes\nf:a>b,3-4,"uniform(1,3)",spring alone,\nf:a>b,8,2,august alone,\n' \
    > "$work/split/seasonality.csv"
expect variant_splits_the_row 0 'seasonality:f:a>b:3-4 +uniform\(1,3\)' -- check "$work/split"
variant clash
printf 'target,month,multiplier,source\nf:a>b,8,2,august alone\n' > "$work/clash/seasonality.csv"
expect variant_clash_names_the_base_row 65 \
    "clash/seasonality.csv:2:7: error: the multiplier of 'f:a>b' in month 8 is given twice \(first at .*base/seasonality.csv:2, months '3 - 4 \| 8'\).*drop the base's row" \
    -- check "$work/clash"

# a labelled scenario's sweep labels the row by its months, for people ("3-4, 8")
expect sweep_baseline_seasonal_rows 0 "" -- sweep scenarios/baseline --oat --params 'seasonality:*' --runs 20 --seed 1 --quiet --out "$work/b-oat"
check_that "sweep: the baseline's seasonal rows, labelled by their months" bash -c "
    grep -q '^seasonality:launch_days:3-4,\"DPRK missile launch days: seasonal multiplier, months 3-4: ' '$work/b-oat/parameters.csv' &&
    grep -q '^seasonality:dprk_testing_posture:\*>surge:3-4|8,\".*: seasonal multiplier, months 3-4, 8: ' '$work/b-oat/parameters.csv' &&
    grep -q '^seasonality:launch_days:8,\".*seasonal multiplier, month 8: ' '$work/b-oat/parameters.csv' &&
    [ \$(grep -c '^seasonality:' '$work/b-oat/parameters.csv') -eq 3 ]"

# ---- the figures' labels read the path's months (scripts/figures_common.R)
if r_has ggplot2; then
    check_that "figures: a seasonal path's label names its months" Rscript -e '
        suppressMessages(source("scripts/figures_common.R"))
        got <- nsm_parameter_label(c("seasonality:launch_days:3-4|8", "seasonality:launch_days:3",
                                     "seasonality:dprk_testing_posture:*>surge:3-4|8"))
        stopifnot(identical(got[1:2], c("Launch days: seasonality, months 3-4, 8",
                                        "Launch days: seasonality, month 3")),
                  grepl(": seasonality, months 3-4, 8$", got[3]), grepl("surge", got[3]))'
else
    skip_part "the figure label check" "Rscript or ggplot2 not found (make deps)"
fi

cli_done season
