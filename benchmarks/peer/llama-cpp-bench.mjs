// llama.cpp's side of the peer benchmark, through node-llama-cpp's prebuilt CPU binaries: the same prompt
// ids, greedy tokens and JSON fields as `tttv2 bench --json`. Run by ./run; prints one JSON object.
//
//   node llama-cpp-bench.mjs --model FILE.gguf --prompt-ids 1,2,3 --decode-tokens 64 --threads 2 --warmup 1 --rounds 1
import {readFileSync} from "node:fs";
import {getLlama} from "node-llama-cpp";

function options(argv) {
    const o = {decodeTokens: 64, threads: 2, warmup: 1, rounds: 1};
    for (let i = 0; i < argv.length; i += 2) {
        const [key, value] = [argv[i], argv[i + 1]];
        if (value === undefined) throw new Error(`${key} expected a value, found none`);
        switch (key) {
            case "--model": o.model = value; break;
            case "--prompt-ids": o.prompt = value.split(",").map(Number); break;
            case "--decode-tokens": o.decodeTokens = Number(value); break;
            case "--threads": o.threads = Number(value); break;
            case "--warmup": o.warmup = Number(value); break;
            case "--rounds": o.rounds = Number(value); break;
            default: throw new Error(`unknown argument '${key}'`);
        }
    }
    if (!o.model || !o.prompt || o.prompt.some(Number.isNaN)) throw new Error("--model and --prompt-ids are required");
    return o;
}

function peakRssKib() {
    const line = readFileSync("/proc/self/status", "utf8").split("\n").find(l => l.startsWith("VmHWM:"));
    return line ? Number(line.replace(/[^0-9]/g, "")) : -1;
}

function median(values) {
    const s = [...values].sort((a, b) => a - b);
    const n = s.length;
    return n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

const o = options(process.argv.slice(2));
const loadStart = process.hrtime.bigint();
const llama = await getLlama({gpu: false, build: "never", maxThreads: o.threads, logLevel: "error"});
const model = await llama.loadModel({modelPath: o.model, gpuLayers: 0});
const context = await model.createContext({
    contextSize: o.prompt.length + o.decodeTokens + 16, batchSize: 512, threads: {ideal: o.threads, min: o.threads}});
const sequence = context.getSequence();
const loadMs = Math.round(Number(process.hrtime.bigint() - loadStart) / 1e6);

let firstTokenMs = -1;
let firstTokenEpochMs = -1;
const prefill = [];
const decode = [];
let tokens = [];
for (let r = -o.warmup; r < o.rounds; r++) {
    await sequence.clearHistory();
    const got = [];
    const t0 = process.hrtime.bigint();
    let t1 = t0;
    // temperature 0: greedy; the EOS token is yielded and generation goes on, as tttv2 bench does
    for await (const token of sequence.evaluate(o.prompt, {temperature: 0, yieldEogToken: true})) {
        if (got.length === 0) {
            t1 = process.hrtime.bigint();
            if (firstTokenMs < 0) {
                firstTokenMs = Math.round(process.uptime() * 1000);
                firstTokenEpochMs = Date.now();
            }
        }
        got.push(token);
        if (got.length === o.decodeTokens + 1) break;
    }
    const t2 = process.hrtime.bigint();
    if (r >= 0) {
        prefill.push(o.prompt.length / (Number(t1 - t0) / 1e9));
        decode.push(o.decodeTokens / (Number(t2 - t1) / 1e9));
        tokens = got;
    }
}
console.log(JSON.stringify({
    engine: "llama.cpp (node-llama-cpp 3.21.1)", model: o.model, threads: o.threads,
    prompt_tokens: o.prompt.length, decode_tokens: o.decodeTokens,
    prefill_tps: median(prefill), decode_tps: median(decode),
    rounds: prefill.map((p, i) => ({prefill_tps: p, decode_tps: decode[i]})),
    load_ms: loadMs, first_token_ms: firstTokenMs, first_token_epoch_ms: firstTokenEpochMs, peak_rss_kib: peakRssKib(), tokens}));
await context.dispose();
await model.dispose();
await llama.dispose();
