// Orchestrates the peer benchmark (see README.md): makes the synthetic checkpoint and its GGUF files, runs
// both engines in fresh processes, alternating, and prints one table per weight format.
import {spawnSync} from "node:child_process";
import {existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync} from "node:fs";
import {dirname, join} from "node:path";
import {fileURLToPath} from "node:url";
import {loadavg} from "node:os";

const here = dirname(fileURLToPath(import.meta.url));
const MARGIN = 1e-3;   // a greedy token is comparable only where the reference's top-2 logits differ by more

function options(argv) {
    const o = {preset: "llama-3.2-1b", formats: ["bf16", "q8_0", "q4_0"], rounds: 3, threads: 2, promptTokens: 64,
        decodeTokens: 64, warmup: 1, seed: 0};
    for (let i = 0; i < argv.length; i += 2) {
        const [key, value] = [argv[i], argv[i + 1]];
        if (value === undefined) fail(`${key} expected a value, found none`);
        const number = () => {
            const n = Number(value);
            if (!Number.isInteger(n) || n < 0) fail(`${key} expected a non-negative integer, found '${value}'`);
            return n;
        };
        switch (key) {
            case "--root": o.root = value; break;
            case "--preset": o.preset = value; break;
            case "--formats": o.formats = value.split(","); break;
            case "--rounds": o.rounds = number(); break;
            case "--threads": o.threads = number(); break;
            case "--prompt-tokens": o.promptTokens = number(); break;
            case "--decode-tokens": o.decodeTokens = number(); break;
            case "--warmup": o.warmup = number(); break;
            case "--vocab": o.vocab = number(); break;
            case "--layers": o.layers = number(); break;
            case "--seed": o.seed = number(); break;
            case "--work": o.work = value; break;
            default: fail(`unknown argument '${key}' (see benchmarks/peer/README.md)`);
        }
    }
    for (const f of o.formats) {
        if (!["bf16", "q8_0", "q4_0"].includes(f)) fail(`--formats expected bf16, q8_0 and/or q4_0, found '${f}'`);
    }
    if (o.rounds < 1 || o.threads < 1 || o.promptTokens < 1 || o.decodeTokens < 1) {
        fail("--rounds, --threads, --prompt-tokens and --decode-tokens expected positive values");
    }
    o.work ??= join(o.root, "benchmarks/peer/target", o.preset + (o.layers ? `-${o.layers}l` : ""));
    return o;
}

function fail(message) {
    console.error("peer: " + message);
    process.exit(2);
}

/** Runs a command; returns {ok, out, err, line} where line is the last line of stderr (the reason it failed). */
function run(command, args, env = {}) {
    const spawnedAt = Date.now();
    const r = spawnSync(command, args, {encoding: "utf8", env: {...process.env, ...env}, maxBuffer: 64 << 20});
    const err = (r.stderr || "").trim();
    return {ok: r.status === 0, out: r.stdout || "", err, spawnedAt,
        line: err.split("\n").filter(l => l.trim()).pop() || `exit ${r.status}`};
}

function tttv2(o, args) {
    // the JVM sizes its worker pool by the processors it sees: show it the benchmark's thread count
    // TTTV2_LAUNCHER: another launcher script (e.g. a copied distribution, so that editing sources while a long
    // run goes on does not rebuild the one it measures)
    return run(process.env.TTTV2_LAUNCHER || join(o.root, "tttv2"), args, {TTTV2_JAVA_OPTS: `-XX:ActiveProcessorCount=${o.threads} ${process.env.TTTV2_JAVA_OPTS || ""}`});
}

/** The synthetic checkpoint in a dtype, written once per set of arguments. */
function synth(o, dtype) {
    const dir = join(o.work, `hf-${dtype}`);
    const args = ["synth", "--preset", o.preset, "--dtype", dtype, "--out", dir, "--seed", String(o.seed)];
    if (o.vocab) args.push("--vocab", String(o.vocab));
    if (o.layers) args.push("--layers", String(o.layers));
    // the stamp names what was made, not where: a work folder of symlinks to another's checkpoints reuses them
    const identity = args.filter((a, i) => a !== "--out" && args[i - 1] !== "--out").join(" ");
    const stamp = join(dir, ".synth-args");
    if (existsSync(stamp) && readFileSync(stamp, "utf8") === identity) return dir;
    const r = tttv2(o, args);
    if (!r.ok) fail(`tttv2 ${args.join(" ")}: ${r.line}`);
    writeFileSync(stamp, identity);
    process.stderr.write(r.out);
    return dir;
}

/** The GGUF file of a format, made by tttv2's writer; {file} or {error}. */
function gguf(o, hf, format) {
    const file = join(o.work, `model-${format}.gguf`);
    const stamp = file + ".from";
    const source = readFileSync(join(hf, ".synth-args"), "utf8");
    if (existsSync(file) && existsSync(stamp) && readFileSync(stamp, "utf8") === source) return {file};
    const to = format === "bf16" ? "gguf" : `gguf:${format}`;
    const r = tttv2(o, ["convert", "--to", to, "--model", hf, "--out", file]);
    if (!r.ok && format !== "bf16") {
        // tttv2's writer cannot write this format (yet): llama.cpp's own quantiser, from tttv2's BF16 GGUF
        const bf16 = gguf(o, hf, "bf16");
        if (bf16.error) return bf16;
        const q = run("python3", [join(here, "llama-quantize.py"),
            join(here, "node_modules/@node-llama-cpp/linux-x64/bins/linux-x64"), bf16.file, file, format]);
        if (!q.ok) return {error: `tttv2 convert --to ${to}: ${r.line}; llama.cpp's quantiser: ${q.line}`};
        writeFileSync(stamp, source);
        return {file, note: `quantised by llama.cpp's llama_model_quantize from tttv2's BF16 GGUF (tttv2 convert: ${r.line})`};
    }
    if (!r.ok) return {error: `tttv2 convert --to ${to}: ${r.line}`};
    writeFileSync(stamp, source);
    return {file};
}

/**
 * The float32 reference of the benchmarked checkpoint: the F32 checkpoint's tensors (the same bfloat16-rounded
 * values) under the benchmarked checkpoint's config.json. Its torch_dtype is part of the model's definition: HF
 * holds buffers in it, so a bfloat16 checkpoint's RoPE inv_freq is bfloat16-rounded (the fixtures' "fp32 from the
 * bf16 values" reference, which tttv2 matches to 2e-6). The F32 checkpoint alone says float32 and is another
 * function: its rotary angles differ by up to position × 2^-9 × inv_freq, which moves logits by ~0.06 on the 1B shape.
 */
function referenceCheckpoint(o, hf, f32) {
    const dir = join(o.work, "ref-f32");
    rmSync(dir, {recursive: true, force: true});
    mkdirSync(dir);
    for (const name of readdirSync(f32)) {
        if (name !== "config.json" && !name.startsWith(".")) symlinkSync(join(f32, name), join(dir, name));
    }
    writeFileSync(join(dir, "config.json"), readFileSync(join(hf, "config.json")));
    return dir;
}

function json(r, what) {
    const line = r.out.trim().split("\n").filter(l => l.startsWith("{")).pop();
    if (!r.ok || !line) return {error: `${what}: ${r.line}`};
    const o = JSON.parse(line);
    // spawn → first token on one clock for both engines: the launcher's or node's own start included
    o.first_from_spawn_ms = o.first_token_epoch_ms > 0 ? o.first_token_epoch_ms - r.spawnedAt : undefined;
    return o;
}

function ours(o, hf, format, prompt, warmup, rounds) {
    const args = ["bench", "--model", hf, "--prompt-ids", prompt.join(","), "--decode-tokens", String(o.decodeTokens),
        "--warmup", String(warmup), "--rounds", String(rounds), "--json"];
    // quantised at load; the first process converts and fills the work folder's weight cache, later ones map it
    if (format !== "bf16" && format !== "f32") args.push("--quantize", format, "--weight-cache", join(o.work, "weight-cache"));
    return json(tttv2(o, args), `tttv2 bench (${format})`);
}

function theirs(o, file, prompt) {
    const args = [join(here, "llama-cpp-bench.mjs"), "--model", file, "--prompt-ids", prompt.join(","),
        "--decode-tokens", String(o.decodeTokens), "--threads", String(o.threads), "--warmup", String(o.warmup),
        "--rounds", "1"];
    return json(run("node", args), "llama.cpp");
}

/** Whether greedy tokens equal the reference's wherever the reference's top-2 margin exceeds MARGIN. */
function agreement(tokens, reference) {
    if (!tokens || !reference) return "n/a";
    const n = Math.min(tokens.length, reference.tokens.length);
    for (let i = 0; i < n; i++) {
        if (reference.margins[i] <= MARGIN) return `yes (${i}/${n}; tie at ${i})`;
        if (tokens[i] !== reference.tokens[i]) return `NO (differs at ${i}/${n})`;
    }
    return `yes (${n}/${n})`;
}

function median(values) {
    const s = values.filter(v => v !== undefined && v >= 0).sort((a, b) => a - b);
    if (s.length === 0) return undefined;
    const n = s.length;
    return n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

function fmt(v, digits = 1) {
    return v === undefined ? "n/a" : v.toFixed(digits);
}

const o = options(process.argv.slice(2));
mkdirSync(o.work, {recursive: true});
console.log(`peer benchmark: preset ${o.preset}${o.layers ? ` (${o.layers} layers)` : ""}, ${o.promptTokens}-token prompt, `
    + `${o.decodeTokens} greedy tokens, ${o.threads} threads, ${o.rounds} rounds (fresh processes, engines alternating), `
    + `load average ${loadavg().map(l => l.toFixed(2)).join(" ")}`);
const hf = synth(o, "bf16");
const config = JSON.parse(readFileSync(join(hf, "config.json"), "utf8"));
// spread-out ids past the tokenizer's three special tokens, the same for both engines
const prompt = Array.from({length: o.promptTokens}, (_, i) => 3 + (i * 7919 + 13) % (config.vocab_size - 3));
const f32 = synth(o, "f32");
const reference = ours(o, referenceCheckpoint(o, hf, f32), "f32", prompt, 0, 1);
if (reference.error) console.log(`float32 reference: ${reference.error}`);
// the same weights with float32 inv_freq (torch_dtype float32), as llama.cpp computes RoPE: shown beside it
const plainF32 = ours(o, f32, "f32", prompt, 0, 1);
if (plainF32.error) console.log(`float32 reference (float32 inv_freq): ${plainF32.error}`);

for (const format of o.formats) {
    const file = gguf(o, hf, format);
    const results = {tttv2: [], llama: []};
    for (let r = 0; r < o.rounds; r++) {
        const order = r % 2 === 0 ? ["tttv2", "llama"] : ["llama", "tttv2"];
        for (const engine of order) {
            results[engine].push(engine === "tttv2" ? ours(o, hf, format, prompt, o.warmup, 1)
                : file.error ? {error: file.error} : theirs(o, file.file, prompt));
        }
    }
    const figures = engine => {
        const ok = results[engine].filter(x => !x.error);
        return {
            error: ok.length ? undefined : results[engine][0].error,
            prefill: median(ok.map(x => x.prefill_tps)), decode: median(ok.map(x => x.decode_tps)),
            rss: median(ok.map(x => x.peak_rss_kib / 1024)), first: median(ok.map(x => x.first_from_spawn_ms)),
            load: median(ok.map(x => x.load_ms)),
            agree: ok.length ? agreement(ok[ok.length - 1].tokens, reference.error ? undefined : reference) : "n/a",
            agreePlain: ok.length ? agreement(ok[ok.length - 1].tokens, plainF32.error ? undefined : plainF32) : "n/a",
        };
    };
    const a = figures("tttv2");
    const b = figures("llama");
    const ratio = (x, y) => x === undefined || y === undefined ? "n/a" : (x / y).toFixed(2);
    console.log("");
    console.log(`format ${format}: tttv2 on ${format === "bf16" ? hf : `${hf} --quantize ${format}`}; `
        + `llama.cpp on ${file.file ?? "(no GGUF)"}`);
    const row = (name, x, y, r) => console.log(`  ${name.padEnd(28)}${String(x).padStart(16)}${String(y).padStart(16)}${String(r).padStart(10)}`);
    row("", "tttv2", "llama.cpp", "ratio");
    row("prefill tokens/s", fmt(a.prefill), fmt(b.prefill), ratio(a.prefill, b.prefill));
    row("decode tokens/s", fmt(a.decode), fmt(b.decode), ratio(a.decode, b.decode));
    row("peak RSS MB", fmt(a.rss, 0), fmt(b.rss, 0), ratio(a.rss, b.rss));
    row("model load ms", fmt(a.load, 0), fmt(b.load, 0), ratio(a.load, b.load));
    row("spawn → 1st token ms", fmt(a.first, 0), fmt(b.first, 0), ratio(a.first, b.first));
    console.log(`  greedy tokens = float32 reference where its top-2 margin > ${MARGIN}: tttv2 ${a.agree}; llama.cpp ${b.agree}`);
    console.log(`    (float32 with float32 RoPE inv_freq, as llama.cpp computes it: tttv2 ${a.agreePlain}; llama.cpp ${b.agreePlain})`);
    if (file.note) console.log(`  GGUF ${file.note}`);
    if (a.error) console.log(`  tttv2: ${a.error}`);
    if (b.error) console.log(`  llama.cpp: ${b.error}`);
}
console.log(`\nload average at the end ${loadavg().map(l => l.toFixed(2)).join(" ")} (a shared machine: ratios from one run, medians)`);
