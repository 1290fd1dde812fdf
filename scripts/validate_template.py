"""Validate template.yaml *with* the OpenAPI contract it includes.

cfn-lint blanks an `AWS::Include`d DefinitionBody before it runs the SAM translator, so on its
own it never checks the contract's integrations against the template. This script:
  1. inlines openapi/api.yaml into the API's DefinitionBody (as CloudFormation would);
  2. runs the SAM translator offline (fixed region and account, S3 code URIs, a managed-policy
     map that never calls AWS);
  3. runs cfn-lint on the plain template and on the translated one.
Any cfn-lint error or warning fails the run.
"""
import json
import os
import subprocess
import sys

from cfnlint.decode import cfn_yaml
from samtranslator.model.exceptions import InvalidDocumentException
from samtranslator.parser.parser import Parser
from samtranslator.translator.translator import Translator

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, ".aws-sam", "validate")
REGION = "us-east-1"

# The policies SAM's policy templates and Tracing/X-Ray attach, by name -> ARN (no AWS call).
MANAGED_POLICIES = {
    name: f"arn:aws:iam::aws:policy/{path}{name}"
    for name, path in {
        "AWSLambdaBasicExecutionRole": "service-role/",
        "AWSLambdaVPCAccessExecutionRole": "service-role/",
        "AWSXrayWriteOnlyAccess": "",
        "AWSXRayDaemonWriteAccess": "",
        "AWSLambdaRole": "service-role/",
    }.items()
}


def load(path):
    return cfn_yaml.load(path)


def to_plain(value):
    """cfn-lint's YAML nodes carry marks; the translator wants plain dicts and lists."""
    return json.loads(json.dumps(value, default=str))


def inline_includes(template):
    for logical_id, resource in template.get("Resources", {}).items():
        props = resource.get("Properties", {})
        body = props.get("DefinitionBody")
        if isinstance(body, dict) and "Fn::Transform" in body:
            transform = body["Fn::Transform"]
            if transform.get("Name") != "AWS::Include":
                continue
            location = transform["Parameters"]["Location"]
            path = os.path.join(ROOT, location)
            if not os.path.exists(path):
                sys.exit(f"template.yaml: Resources.{logical_id}.DefinitionBody: {location} does not exist")
            props["DefinitionBody"] = load(path)
            print(f"inlined {location} into {logical_id}.DefinitionBody")


def with_s3_code(template):
    for resource in template.get("Resources", {}).values():
        if resource.get("Type") == "AWS::Serverless::Function":
            resource.setdefault("Properties", {})["CodeUri"] = "s3://validate-bucket/code.zip"
    template.get("Globals", {}).get("Function", {}).pop("CodeUri", None)
    return template


def translate(template):
    os.environ.setdefault("AWS_DEFAULT_REGION", REGION)
    translator = Translator(managed_policy_map=MANAGED_POLICIES, sam_parser=Parser())
    params = {"AWS::Region": REGION, "AWS::AccountId": "123456789012", "AWS::Partition": "aws"}
    try:
        return translator.translate(template, parameter_values=params, get_managed_policy_map=lambda: MANAGED_POLICIES)
    except InvalidDocumentException as error:
        for cause in error.causes:
            print(f"SAM translator: {cause.message}", file=sys.stderr)
        sys.exit(1)


def lint(path):
    result = subprocess.run(["cfn-lint", "--format", "parseable", "--", path], capture_output=True, text=True)
    findings = [line for line in result.stdout.splitlines() if line.strip()]
    for line in findings:
        print(f"  {line}")
    # cfn-lint exit code bits: 2 errors, 4 warnings, 8 informational.
    errors_or_warnings = result.returncode & 6
    if result.returncode not in (0, 2, 4, 6, 8, 10, 12, 14):
        print(result.stderr, file=sys.stderr)
        return False
    print(f"cfn-lint {os.path.relpath(path, ROOT)}: {'FAILED' if errors_or_warnings else 'clean'} ({len(findings)} findings)")
    return not errors_or_warnings


def main():
    os.makedirs(OUT, exist_ok=True)
    template = to_plain(load(os.path.join(ROOT, "template.yaml")))
    inline_includes(template)
    template = to_plain(template)
    inlined_path = os.path.join(OUT, "inlined.json")
    with open(inlined_path, "w") as fh:
        json.dump(template, fh, indent=1)
    translated = translate(with_s3_code(json.loads(json.dumps(template))))
    translated_path = os.path.join(OUT, "translated.json")
    with open(translated_path, "w") as fh:
        json.dump(translated, fh, indent=1)
    print(f"SAM translator: {len(translated.get('Resources', {}))} CloudFormation resources")
    ok = lint(os.path.join(ROOT, "template.yaml"))
    ok = lint(translated_path) and ok
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
