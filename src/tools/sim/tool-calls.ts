// When the simulated model calls a tool, and with what arguments. Given function tools, it calls
// one when `tool_choice` names it or is `required` (the first tool then), or, with `auto` (the
// default), when the prompt names a tool (its name appears in the prompt, case aside). The arguments
// fill each property of the tool's JSON schema from the prompt: strings get the prompt's text,
// numbers 1, booleans true, anything else null. Both chat's tool shape (`{type, function: {name,
// parameters}}`) and the Responses API's (`{type, name, parameters}`) are read.

export interface SimToolCall {
  readonly name: string;
  /** JSON text, as the API sends it. */
  readonly arguments: string;
}

type Body = Record<string, unknown>;

function isObject(value: unknown): value is Body {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

interface FunctionTool {
  readonly name: string;
  readonly parameters: Body | undefined;
}

function functionTools(tools: unknown): FunctionTool[] {
  if (!Array.isArray(tools)) return [];
  const found: FunctionTool[] = [];
  for (const tool of tools) {
    if (!isObject(tool) || tool.type !== 'function') continue;
    const spec = isObject(tool.function) ? tool.function : tool;
    if (typeof spec.name === 'string' && spec.name !== '') found.push({ name: spec.name, parameters: isObject(spec.parameters) ? spec.parameters : undefined });
  }
  return found;
}

function chosenName(toolChoice: unknown): string | undefined {
  if (!isObject(toolChoice)) return undefined;
  if (isObject(toolChoice.function) && typeof toolChoice.function.name === 'string') return toolChoice.function.name;
  return typeof toolChoice.name === 'string' ? toolChoice.name : undefined;
}

function argumentsFor(tool: FunctionTool, prompt: string): string {
  const properties = isObject(tool.parameters?.properties) ? tool.parameters.properties : {};
  const args: Body = {};
  for (const [name, schema] of Object.entries(properties)) {
    const type = isObject(schema) ? schema.type : undefined;
    args[name] = type === 'string' ? prompt : type === 'number' || type === 'integer' ? 1 : type === 'boolean' ? true : null;
  }
  return JSON.stringify(args);
}

/** The tool call the simulated model makes for this request, if any. */
export function simToolCall(body: Body, prompt: string): SimToolCall | undefined {
  const tools = functionTools(body.tools);
  if (tools.length === 0 || body.tool_choice === 'none') return undefined;
  const named = chosenName(body.tool_choice);
  const lower = prompt.toLowerCase();
  const tool =
    named !== undefined
      ? tools.find((t) => t.name === named)
      : body.tool_choice === 'required'
        ? tools[0]
        : tools.find((t) => lower.includes(t.name.toLowerCase()));
  return tool === undefined ? undefined : { name: tool.name, arguments: argumentsFor(tool, prompt) };
}

/** A call's arguments as the pieces a model streams, about one token (4 characters) each. */
export function argumentPieces(args: string): string[] {
  const pieces: string[] = [];
  for (let i = 0; i < args.length; i += 4) pieces.push(args.slice(i, i + 4));
  return pieces;
}
