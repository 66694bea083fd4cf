## The analyst's pages: the total across organisations, the dashboard over the facets.

nav-total = Total across organisations
nav-dashboard = Dashboard

total-title = The total across organisations
total-lead = Partner organisations each encode their own list with the secret they share (mamar clk encode --strata …) and send only the file of encodings: no name leaves an organisation. Upload the partners' files here (two or more) to count the people on each combination of lists and estimate how many all of them missed.
total-files = Files of encodings (two or more)
total-strata = Stratum columns (optional, comma-separated, e.g. rank_class)
total-threshold = Dice threshold at or above which two encodings are one person
total-submit = Estimate
total-command = The same from the command line:
total-lists-title = The lists
total-list-col = List
total-encodings-col = Encodings
total-encodings =
    { $count ->
        [one] one encoding
       *[other] { $count } encodings
    }
total-matched =
    { $pairs ->
        [one] Matched at Dice ≥ { $threshold }: one pair of records joined as one person.
       *[other] Matched at Dice ≥ { $threshold }: { $pairs } pairs of records joined as one person.
    }
total-results-title = Documented and estimated, by stratum
total-col-stratum = Stratum
total-col-documented = Documented (counted)
total-col-estimate = Estimated total
total-col-interval = { $level }% interval
total-col-model = Model
total-all = All
total-pooled = All strata together
total-not-recorded = not recorded
total-no-upper = no upper limit
total-no-estimate = No estimate: the lists do not overlap enough here to say how many they all missed.
total-independence = the lists independent
total-interactions = dependent lists: { $pairs }
total-lower-bound = The documented number is counted: the people on at least one list. It is a lower bound. The estimated total is a model's, with its interval: it is not a count, and the two are never added or mixed.
total-chart-title = Documented (bar) and estimated total with its interval (line), by stratum
total-chart-documented = documented
total-chart-estimate = estimate
total-method-title = Method
total-method = Poisson log-linear models with two-way interactions between the lists; the model is chosen by AIC. The interval is a percentile bootstrap of { $replicates } resamples of the people seen, choosing the model again on each (seed { $seed }).
total-assumptions-title = What the estimate assumes
total-assumption-closed = Closed population: the people counted are one group over one period; nobody joins or leaves it between the lists.
total-assumption-matching = The matching is right: two encodings at or above the threshold are one person, and each list holds each person once.
total-assumption-dependence = The lists depend on each other only as the chosen model allows; with three lists, the three-way dependence cannot be checked and is taken to be absent.
total-assumption-alike = Within a stratum, the people all lists missed are like the people they share.
total-assumption-interval = The interval allows for chance and for the choice of model, not for matching errors.
total-problem-no-files = Choose at least two files of encodings.
total-problem-threshold = The threshold must be a number between 0 and 1.
total-problem-too-large = The files are too large together (at most { $mb } MB).
total-problem-not-encodings = { $file } is not a file of encodings: its first line must name the columns clk and scheme (as mamar clk encode writes them).
total-problem-line = { $file }, line { $line }: this line is not a readable encoding.
total-problem-empty = { $file } holds no encodings.
total-problem-scheme = { $file } was encoded with other options or another secret than { $first }: every partner must encode alike.
total-problem-column = { $file } has no column “{ $column }”.
total-problem-same-name = Two files are named { $file }: rename one.
total-problem-file = { $file } cannot be read as CSV text.

dashboard-title = The registry in numbers
dashboard-never-a-person = Counts of cases from their statistical facets only: no name, message or case is shown here. These counts stay inside the organisation; what is published passes through the releases' disclosure control.
dashboard-from = First contact from (YYYY-MM, optional)
dashboard-to = to (YYYY-MM, optional)
dashboard-show = Show
dashboard-problem-month = A month is written as YYYY-MM, e.g. 2026-03; all months are shown.
dashboard-unavailable = The cases' facets cannot be opened with the keys of your session: the dashboard needs the analytics key.
dashboard-by-quarter = First contacts by quarter
dashboard-cases =
    { $count ->
        [one] One case.
       *[other] { $count } cases.
    }

nav-publish = Publish figures
publish-title = Publish a release
publish-lead = The counts of the chosen tables are made from the cases' facets, small counts withheld with the counts that would give them away, noise added to every published count, and the whole signed with the organisation's key. Once published, a release is public and cannot be withdrawn.
publish-unavailable = Publishing needs the organisation's signing key and the analytics key in your session.
publish-tables = Tables
publish-period = Release period (e.g. 2026-Q4, 2026-12 or 2026)
publish-limit = The period's privacy budget, ε (kept from its first release on)
publish-threshold = Counts below this are withheld
publish-epsilon = ε spent by each table
publish-submit = Sign and publish
publish-problem-tables = Choose at least one table.
publish-problem-numbers = The budget and ε must be positive numbers, and the threshold a whole number.
publish-problem-period = A period is written 2026, 2026-Q4 or 2026-12.
publish-problem-signing = Only a holder of the organisation's signing key can publish.
publish-problem-facets = The cases' facets cannot be read here: nothing was published.
publish-problem-budget = The period's privacy budget does not allow this release: nothing was published. Choose fewer tables, a smaller ε, or wait for the next period.
publish-problem-store = The release could not be recorded: nothing was published.
total-problem-strata = The stratum columns give more than { $max } strata: a stratum column holds categories, such as a rank class or a year, never a name or an id.
