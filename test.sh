#!/usr/bin/env bash
# The project's test command (README "Run the tests"): builds the solution, runs every xunit
# project, then Pester when PowerShell is present, and ends with one line of totals.
set -uo pipefail
cd "$(dirname "$0")"
results_dir="$(mktemp -d)"
trap 'rm -rf "$results_dir"' EXIT

dotnet build SecureNmc.PowerShell.sln -c Release -nologo -v quiet || { echo "0 passed, 1 failed"; exit 1; }

status=0
dotnet test SecureNmc.PowerShell.sln -c Release --no-build -nologo \
    --logger "trx" --results-directory "$results_dir" "$@" || status=1

# Sum the per-assembly counters from the trx files (one per test project).
read -r passed failed < <(
  cat "$results_dir"/*.trx 2>/dev/null |
  grep -o '<Counters [^>]*>' |
  sed -E 's/.*passed="([0-9]+)".*failed="([0-9]+)".*/\1 \2/' |
  awk '{p+=$1; f+=$2} END {print p+0, f+0}')

# Keep the names of the failed xunit tests, to repeat them above the totals: a CI log is often
# read from its tail only.
grep -ho '<UnitTestResult [^>]*outcome="Failed"[^>]*>' "$results_dir"/*.trx 2>/dev/null |
  sed -E 's/.*testName="([^"]*)".*/xunit failed: \1/' | sed "s/&quot;/\"/g; s/&apos;/'/g; s/&lt;/</g; s/&gt;/>/g; s/&amp;/\&/g" > "$results_dir/xunit-failed.txt"

# Pester, in the PowerShell users run (.ci/install-powershell.sh installs pwsh 7.6.10 and Pester 5.7.1).
export PATH="$PATH:$HOME/.dotnet/tools"
if command -v pwsh >/dev/null 2>&1; then
  pwsh -NoProfile -NonInteractive -File ./build.ps1 -Task Pester -PesterSummaryPath "$results_dir/pester.txt" || status=1
  if read -r pester_passed pester_failed < "$results_dir/pester.txt" 2>/dev/null; then
    echo "Pester: $pester_passed passed, $pester_failed failed"
    passed=$((passed + pester_passed)); failed=$((failed + pester_failed))
  else
    echo "Pester did not run to the end"; failed=$((failed + 1)); status=1
  fi
else
  echo "pwsh is not installed: Pester did not run (.ci/install-powershell.sh installs it)"
fi

cat "$results_dir/xunit-failed.txt" "$results_dir/pester.txt.failed" 2>/dev/null
if [ "$passed" -eq 0 ] && [ "$failed" -eq 0 ]; then failed=1; status=1; fi  # no test ran: not a pass
echo "$passed passed, $failed failed"
exit $status
