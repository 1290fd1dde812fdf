/**
 * SAM's transform refuses Globals naming a section it does not have or a property a section does not take (the
 * deploy fails): the emulator refuses the template in SAM's sentence, compared here with samtranslator's own.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { loadTemplate } from "../../../emulator/template/load.js";
import { template } from "./support/function-templates.js";
import { samTranslatorSays } from "./support/sam-translator.js";

const RESOURCES =
  "Resources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties: {Runtime: nodejs20.x, Handler: app.handler, CodeUri: src/, Events: {Get: {Type: Api, Properties: {Path: /a, Method: get}}}}\n";
const SRC = {
  "src/app.js":
    'exports.handler = async () => ({ statusCode: 200, body: "ok" });\n',
};
const samTemplate = (globals: string): string =>
  template(
    `Transform: AWS::Serverless-2016-10-31\nGlobals:\n${globals}${RESOURCES}`,
    SRC,
  );

const REFUSED = [
  {
    given: "a section SAM does not have",
    globals: "  Functions: {Timeout: 3}\n",
    key: "Globals.Functions",
    sentence:
      "'Globals' section is invalid. 'Functions' is not supported. Must be one of the following values - ['Api', 'CapacityProvider', 'Function', 'HttpApi', 'LayerVersion', 'SimpleTable', 'StateMachine', 'WebSocketApi']",
  },
  {
    given: "Function with a property its Globals do not take (FunctionName)",
    globals: "  Function: {Timeout: 3, FunctionName: f}\n",
    key: "Globals.Function.FunctionName",
    sentence:
      "'Globals' section is invalid. 'FunctionName' is not a supported property of 'Function'.",
  },
  {
    given: "Api with StageName (a resource property, not a Globals one)",
    globals: "  Api: {StageName: dev}\n",
    key: "Globals.Api.StageName",
    sentence:
      "'Globals' section is invalid. 'StageName' is not a supported property of 'Api'.",
  },
  {
    given: "HttpApi with Name",
    globals: "  HttpApi: {Name: n}\n",
    key: "Globals.HttpApi.Name",
    sentence:
      "'Globals' section is invalid. 'Name' is not a supported property of 'HttpApi'.",
  },
  {
    given: "SimpleTable with TableName",
    globals: "  SimpleTable: {TableName: t}\n",
    key: "Globals.SimpleTable.TableName",
    sentence:
      "'Globals' section is invalid. 'TableName' is not a supported property of 'SimpleTable'.",
  },
].map((row) => ({ ...row, file: samTemplate(row.globals) }));

const ACCEPTED = samTemplate(
  [
    "  Function: {Timeout: 3, MemorySize: 256, Runtime: nodejs20.x, Environment: {Variables: {A: b}}, Tags: {t: v}, Architectures: [x86_64]}",
    "  Api: {Name: n, Cors: \"'*'\", BinaryMediaTypes: [image~1png], OpenApiVersion: 3.0.1, TracingEnabled: false}",
    "  HttpApi: {StageVariables: {a: b}, FailOnWarnings: false}",
    "  SimpleTable: {SSESpecification: {SSEEnabled: true}}",
    "  StateMachine: {PropagateTags: true}",
    "  LayerVersion: {PublishLambdaVersion: false}",
    "",
  ].join("\n"),
);

describe("Globals SAM refuses", () => {
  let samSays: Record<string, string>;
  beforeAll(() => {
    samSays = samTranslatorSays([...REFUSED.map((row) => row.file), ACCEPTED]);
  });

  it.each(REFUSED)(
    "$given: refused in SAM`s sentence",
    async ({ file, key, sentence }) => {
      // Act
      const loading = loadTemplate(file);

      // Assess
      await expect(loading).rejects.toThrow(`${key}: ${sentence}`);
      expect(samSays[file]).toContain(sentence);
    },
  );

  it("the Globals SAM takes, in every section, are accepted (neighbours of the refused ones)", async () => {
    // Act
    const loaded = await loadTemplate(ACCEPTED);

    // Assess
    expect(loaded.functions.get("Fn")?.timeoutSeconds).toBe(3);
    expect(samSays[ACCEPTED]).toBe("translated");
  });
});
