/**
 * The `cfn-response` (Node.js) and `cfnresponse` (Python) modules CloudFormation provides to a function whose code is
 * inline (`Code.ZipFile`, SAM's `InlineCode`): a custom resource's function requires them to answer its ServiceToken
 * call. Written here from their documented interface (CloudFormation User Guide, "cfn-response module"): `send(event,
 * context, responseStatus, responseData, physicalResourceId, noEcho[, reason])` PUTs the response document to the
 * event's ResponseURL; SUCCESS and FAILED. Without them, invoking such a function with a Create event (what the startup
 * report advises for custom resources) failed at import.
 */

/** The Node.js module, as `node_modules/cfn-response/index.js` beside the inline code. */
export const NODE_CFN_RESPONSE = `'use strict';
// Provided by the local gateway for inline code, as CloudFormation provides it (CloudFormation User Guide, "cfn-response module").
const https = require('node:https');
const http = require('node:http');

exports.SUCCESS = 'SUCCESS';
exports.FAILED = 'FAILED';

exports.send = function send(event, context, responseStatus, responseData, physicalResourceId, noEcho) {
  const body = JSON.stringify({
    Status: responseStatus,
    Reason: 'See the details in CloudWatch Log Stream: ' + context.logStreamName,
    PhysicalResourceId: physicalResourceId || context.logStreamName,
    StackId: event.StackId,
    RequestId: event.RequestId,
    LogicalResourceId: event.LogicalResourceId,
    NoEcho: noEcho || false,
    Data: responseData,
  });
  console.log('Response body:\\n', body);
  const finish = () => { if (typeof context.done === 'function') context.done(); };
  let url;
  try {
    url = new URL(event.ResponseURL);
  } catch (error) {
    console.log('send(..) failed: the event has no valid ResponseURL: ' + error);
    return finish();
  }
  const request = (url.protocol === 'http:' ? http : https).request(url, {
    method: 'PUT',
    headers: { 'content-type': '', 'content-length': Buffer.byteLength(body) },
  }, (response) => {
    console.log('Status code: ' + response.statusCode);
    response.resume();
    response.on('end', finish);
  });
  request.on('error', (error) => {
    console.log('send(..) failed executing https.request(..): ' + error);
    finish();
  });
  request.end(body);
};
`;

/** The Python module, as `cfnresponse.py` beside the inline code. */
export const PYTHON_CFN_RESPONSE = `# Provided by the local gateway for inline code, as CloudFormation provides it (CloudFormation User Guide, "cfn-response module").
import json
import urllib.request

SUCCESS = "SUCCESS"
FAILED = "FAILED"


def send(event, context, responseStatus, responseData, physicalResourceId=None, noEcho=False, reason=None):
    body = json.dumps({
        "Status": responseStatus,
        "Reason": reason or "See the details in CloudWatch Log Stream: " + context.log_stream_name,
        "PhysicalResourceId": physicalResourceId or context.log_stream_name,
        "StackId": event.get("StackId"),
        "RequestId": event.get("RequestId"),
        "LogicalResourceId": event.get("LogicalResourceId"),
        "NoEcho": noEcho,
        "Data": responseData,
    })
    print("Response body:")
    print(body)
    request = urllib.request.Request(event.get("ResponseURL", ""), data=body.encode("utf-8"), method="PUT",
                                     headers={"Content-Type": "", "Content-Length": str(len(body.encode("utf-8")))})
    try:
        with urllib.request.urlopen(request) as response:
            print("Status code:", response.status)
    except Exception as e:
        print("send(..) failed executing http.request(..):", e)
`;
