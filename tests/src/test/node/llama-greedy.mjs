// llama.cpp (through node-llama-cpp) on a GGUF file: tokenises texts and decodes each prompt greedily, printing one
// JSON line {"texts": [[ids…]…], "runs": [{"prompt": [ids…], "tokens": [ids…], "margins": [p1 − p2 …]}…]}
// for GgufInteropIT. usage: node llama-greedy.mjs MODEL.gguf COUNT '{"prompts": […], "texts": […]}'
// (texts are tokenised as model.tokenize does by default: no BOS, special tokens not parsed)
import {getLlama} from "node-llama-cpp";

const [modelPath, countArg, inputArg] = process.argv.slice(2);
const count = Number(countArg);
const input = JSON.parse(inputArg);
const llama = await getLlama({gpu: false, build: "never", logLevel: "error"});
const model = await llama.loadModel({modelPath});
const texts = input.texts.map(t => Array.from(model.tokenize(t)));
const context = await model.createContext({contextSize: 256, threads: 2, batchSize: 256});
const sequence = context.getSequence();
const runs = [];
for (const prompt of input.prompts) {
    await sequence.clearHistory();
    const promptIds = Array.from(model.tokenize(prompt));
    const tokens = [];
    const margins = [];
    for await (const step of sequence.evaluateWithMetadata(promptIds, {probabilities: true}, {temperature: 0})) {
        tokens.push(step.token);
        const p = Array.from(step.probabilities.values()).sort((a, b) => b - a);
        margins.push(p.length > 1 ? p[0] - p[1] : p[0]);
        if (tokens.length >= count) break;
    }
    runs.push({prompt: promptIds, tokens, margins});
}
console.log(JSON.stringify({texts, runs}));
await context.dispose();
await model.dispose();
await llama.dispose();
