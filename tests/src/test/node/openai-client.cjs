// Drives a running `tttv2 serve` with the official OpenAI Node SDK (pinned by ServeIT): completions and chat,
// streaming and not, greedy (temperature 0), and the model list. Prints one JSON object; exits 1 on any error.
// Inputs (environment): BASE_URL, API_KEY, MODEL, PROMPT, CHAT, MAX_TOKENS.
const { OpenAI } = require('openai');

const client = new OpenAI({ baseURL: process.env.BASE_URL, apiKey: process.env.API_KEY, maxRetries: 0, timeout: 60000 });
const model = process.env.MODEL;
const max = Number(process.env.MAX_TOKENS);

async function streamed(create, pick) {
  let text = '', finish = null, usage = null, chunks = 0;
  for await (const chunk of await create()) {
    chunks++;
    if (chunk.choices.length > 0) {
      text += pick(chunk.choices[0]) ?? '';
      if (chunk.choices[0].finish_reason) finish = chunk.choices[0].finish_reason;
    }
    if (chunk.usage) usage = chunk.usage;
  }
  return { text, finish_reason: finish, usage, chunks };
}

(async () => {
  const out = {};
  out.models = (await client.models.list()).data.map(m => m.id);
  const c = await client.completions.create({ model, prompt: process.env.PROMPT, max_tokens: max, temperature: 0 });
  out.completion = { text: c.choices[0].text, finish_reason: c.choices[0].finish_reason, usage: c.usage };
  out.completionStream = await streamed(
    () => client.completions.create({ model, prompt: process.env.PROMPT, max_tokens: max, temperature: 0, stream: true,
                                      stream_options: { include_usage: true } }),
    choice => choice.text);
  const messages = [{ role: 'user', content: process.env.CHAT }];
  const ch = await client.chat.completions.create({ model, messages, max_tokens: max, temperature: 0 });
  out.chat = { text: ch.choices[0].message.content, finish_reason: ch.choices[0].finish_reason, usage: ch.usage };
  out.chatStream = await streamed(
    () => client.chat.completions.create({ model, messages, max_tokens: max, temperature: 0, stream: true,
                                           stream_options: { include_usage: true } }),
    choice => choice.delta.content);
  try {
    await client.completions.create({ model, prompt: process.env.PROMPT, max_tokens: 'many' });
    out.badRequest = null;
  } catch (e) {
    out.badRequest = { status: e.status, param: e.param ?? (e.error && e.error.param) };
  }
  console.log(JSON.stringify(out));
})().catch(e => {
  console.error('openai-client: ' + (e && e.stack ? e.stack.split('\n')[0] : String(e)));
  process.exit(1);
});
