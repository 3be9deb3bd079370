# Renders every templates/*.jinja with the conversation the way transformers' apply_chat_template does
# (jinja2 sandbox, trim_blocks, lstrip_blocks, loop controls, raise_exception, Python tojson), writing
# expected/<name>.<variant>.txt. Run by hand with jinja2 installed; the outputs are the test's expectations.
import json, pathlib, jinja2, jinja2.ext, jinja2.nodes
from jinja2.sandbox import ImmutableSandboxedEnvironment

here = pathlib.Path(__file__).parent
conversation = json.loads((here / "conversation.json").read_text())

def raise_exception(message):
    raise jinja2.exceptions.TemplateError(message)

def tojson(x, ensure_ascii=False, indent=None, separators=None, sort_keys=False):
    return json.dumps(x, ensure_ascii=ensure_ascii, indent=indent, separators=separators, sort_keys=sort_keys)

class GenerationTag(jinja2.ext.Extension):
    """transformers' AssistantTracker, reduced to what rendering needs: the body of {% generation %}."""
    tags = {"generation"}

    def parse(self, parser):
        lineno = next(parser.stream).lineno
        body = parser.parse_statements(["name:endgeneration"], drop_needle=True)
        return jinja2.nodes.Scope(body, lineno=lineno)


env = ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True,
                                    extensions=["jinja2.ext.loopcontrols", GenerationTag])
env.filters["tojson"] = tojson
env.globals["raise_exception"] = raise_exception

variants = {
    "full": conversation["messages"],
    "nosystem": conversation["messages"][1:],
}
for path in sorted((here / "templates").glob("*.jinja")):
    template = env.from_string(path.read_text())
    for variant, messages in variants.items():
        for gen in (True, False):
            name = f"{path.stem}.{variant}.{'gen' if gen else 'nogen'}.txt"
            try:
                out = template.render(messages=messages, add_generation_prompt=gen, **conversation["variables"])
            except jinja2.exceptions.TemplateError as e:
                out = "RAISES: " + str(e)
            (here / "expected" / name).write_text(out)
