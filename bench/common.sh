# SPDX-License-Identifier: MIT
# facet - bench/common.sh: what every bench script uses (sourced)

# have CMD: is CMD installed?
have() { command -v "$1" >/dev/null 2>&1; }

# median [FIELD]: median of column FIELD (default 1) of the lines on stdin
median() {
	awk -v f="${1:-1}" '{ print $f }' | sort -n |
		awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)]; else print "-" }'
}
