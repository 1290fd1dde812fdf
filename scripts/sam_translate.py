"""Print a SAM template as the SAM translator turns it into CloudFormation (JSON on stdout).

Offline, with the same settings as validate_template.py (us-east-1, account 123456789012, S3 code
URIs, managed-policy names mapped without calling AWS). Used by the emulator's differential tests.

Usage: python3 scripts/sam_translate.py template.yaml [more.yaml ...]
With several templates, prints one JSON object mapping each path to its translation (one Python start-up).
"""
import json
import sys

from validate_template import load, to_plain, translate, with_s3_code


def translated(path):
    template = to_plain(load(path))
    for resource in template.get("Resources", {}).values():
        if resource.get("Type") == "AWS::Serverless::Function":
            resource.get("Properties", {}).pop("InlineCode", None)
    return translate(with_s3_code(template))


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    paths = sys.argv[1:]
    result = translated(paths[0]) if len(paths) == 1 else {path: translated(path) for path in paths}
    json.dump(result, sys.stdout, indent=1, sort_keys=True)
