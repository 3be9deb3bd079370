#!/usr/bin/env bash
# Fuzzes one target (or all) for real with Jazzer and prints the executions. A build only runs each target's
# checked-in corpus (src/test/resources/…/<Class>Inputs/<method>) as regression tests; this is the long run.
#
#   scripts/fuzz.sh list
#   scripts/fuzz.sh TARGET|all [RUNS|SECONDSs]   executions per target (default 10000000), or a time: 600s
#
# Classes are compiled for Java 23 here: Jazzer 0.24's instrumentation (coverage feedback, hooks) reads class
# files up to that version only, and the code needs nothing newer. A crash is written next to the corpus
# (…Inputs/<method>/crash-…) and so becomes a regression test of every later build: keep it, fix it.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$root/scripts/jdk.sh"
tttv2_find_jdk || exit 1

declare -A TARGETS=(
  [safetensors]="integration/hf io.tttv2.integration.hf.fuzz.SafetensorsFuzzTest#opensOrRefusesInOneLine"
  [gguf]="integration/hf io.tttv2.integration.hf.fuzz.GgufFuzzTest#opensOrRefusesInOneLine"
  [config]="integration/hf io.tttv2.integration.hf.fuzz.ConfigFuzzTest#configJson"
  [generation-config]="integration/hf io.tttv2.integration.hf.fuzz.ConfigFuzzTest#generationConfigJson"
  [tokenizer-load]="integration/tokenizers io.tttv2.integration.tokenizers.fuzz.TokenizerFuzzTest#loadAndEncode"
  [tokenizer-encode]="integration/tokenizers io.tttv2.integration.tokenizers.fuzz.TokenizerFuzzTest#encodeAnyText"
  [chat-messages]="integration/tokenizers io.tttv2.integration.tokenizers.chat.ChatTemplateFuzzTest#hostileMessages"
  [chat-templates]="integration/tokenizers io.tttv2.integration.tokenizers.chat.ChatTemplateFuzzTest#hostileTemplates"
  [assembly]="registry io.tttv2.registry.AssemblyJsonFuzzTest#readsOrRefusesInOneLine"
)

if [ "${1:-list}" = list ]; then
  printf '%s\n' "${!TARGETS[@]}" | sort
  exit 0
fi
runs="${2:-10000000}"
case "$runs" in
  *s) budget="-max_total_time=${runs%s}" ;;
  *) budget="-runs=$runs" ;;
esac
names=("$1")
[ "$1" = all ] && mapfile -t names < <(printf '%s\n' "${!TARGETS[@]}" | sort)

cd "$root"
# once: every module the targets need, at the release Jazzer can instrument
mvn -B -q -ntp clean test-compile -Dmaven.compiler.release=23 -pl integration/hf,integration/tokenizers,registry -am
for name in "${names[@]}"; do
  read -r module test <<<"${TARGETS[$name]:?unknown target $name (scripts/fuzz.sh list)}"
  log="$root/$module/fuzz-$name.log"     # not under target/: the next target's build cleans that
  # tokenizer.json holds regexes by design (pre-tokenizer splits): an invalid one is refused in one line, which
  # Jazzer's regex-injection detector would report as a finding
  disabled=""
  [ "$name" = tokenizer-load ] && disabled="com.code_intelligence.jazzer.sanitizers.RegexInjection"
  echo "fuzz $name: $budget ($log)" >&2
  JAZZER_FUZZ=1 mvn -B -ntp -o test -Dmaven.compiler.release=23 -pl "$module" -am -Dtest="$test" \
      -Dsurefire.failIfNoSpecifiedTests=false \
      -Djazzer.hooks=true -Djazzer.disabled_hooks="$disabled" \
      -Djazzer.internal.arg.0=fuzz -Djazzer.internal.arg.1="$budget" >"$log" 2>&1 || true
  done_line="$(grep -aoE 'Done [0-9]+ runs in [0-9]+ second' "$log" | tail -1 || true)"
  result="$(grep -aE 'Tests run: [0-9]+, Failures' "$log" | tail -1 | sed 's/.*\(Tests run.*\)/\1/' || true)"
  echo "$name: ${done_line:-no run summary (see the log)}; ${result:-no test result}"
done
