"""One Lambda execution environment for a Python function: the child process's entry.

Loads the handler once (init phase), then serves one invocation at a time, as Lambda's Python runtime
interface client does. It talks to the gateway over Node's IPC channel (the fd in NODE_CHANNEL_FD, one JSON
document per line), with the same messages as the Node.js environment (worker.ts): ready or init-error, then
a result or an error per invocation. Standard library only: it runs on whatever Python the machine has.
"""
import decimal
import importlib
import json
import logging
import os
import re
import select
import signal
import socket
import sys
import threading
import time
import traceback

INIT = json.loads(sys.argv[1])
CHANNEL_FD = int(os.environ.pop("NODE_CHANNEL_FD"))
# Not passed on to what the function runs (os.system, a shell): a line its tools wrote there would reach the gateway.
os.set_inheritable(CHANNEL_FD, False)
# The function's own subprocesses must not see the gateway's channel.
os.environ.pop("NODE_CHANNEL_SERIALIZATION_MODE", None)


def send(message):
    data = (json.dumps(message) + "\n").encode("ascii")
    while data:
        written = os.write(CHANNEL_FD, data)
        data = data[written:]


# Invoke's LogType Tail returns the last 4 KB of the invocation's log (log-tail.ts LOG_TAIL_BYTES).
LOG_TAIL_CHARS = 4096


class OutputTail:
    """stdout or stderr, teed: what the function writes during an invocation that asked for its log is kept too
    (its last 4 KB), for the invocation's last message (worker.ts OutputTail)."""

    kept = None

    def __init__(self, stream):
        self._stream = stream

    def write(self, text):
        if OutputTail.kept is not None and text:
            OutputTail.kept.append(text)
            if len(OutputTail.kept) > 64:
                OutputTail.kept[:] = ["".join(OutputTail.kept)[-LOG_TAIL_CHARS:]]
        return self._stream.write(text)

    def __getattr__(self, name):
        return getattr(self._stream, name)

    @staticmethod
    def take(message):
        kept, OutputTail.kept = OutputTail.kept, None
        if kept is not None:
            message["log"] = "".join(kept)[-LOG_TAIL_CHARS:]
        return message


sys.stdout = OutputTail(sys.stdout)
sys.stderr = OutputTail(sys.stderr)


def fault(error_type, message, stack):
    return {"errorType": error_type, "errorMessage": message, "stackTrace": stack}


def from_exception(exc, error_type=None):
    """Lambda's Python runtime reports {errorType: class name, errorMessage: str(e), stackTrace: frames}."""
    # The runtime's own frames are not the function's: Lambda's stack trace starts at the handler.
    own = os.path.abspath(__file__)
    kept = [(f.filename, f.lineno, f.name, f.line) for f in traceback.extract_tb(exc.__traceback__) if os.path.abspath(f.filename) != own]
    # Plain (file, line, name, text) frames: Python 3.11+ would underline column ranges (^^^^), which Lambda's trace has not.
    frames = traceback.StackSummary.from_list(kept).format()
    return fault(error_type or type(exc).__name__, str(exc), frames)


def log_error(error, request_id=""):
    """What the runtime writes to the log stream when the function fails: "[ERROR] Type: message", then the traceback
    with its indentation in no-break spaces (text format; Lambda ends each line with \\r to keep one log event, here a
    newline, as the Node.js environment's lines keep theirs), or the error document with a timestamp and log_level
    (JSON format)."""
    if os.environ.get("AWS_LAMBDA_LOG_FORMAT", "").upper() == "JSON":
        document = {"timestamp": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "log_level": "ERROR",
                    "errorMessage": error["errorMessage"], "errorType": error["errorType"], "requestId": request_id,
                    "stackTrace": error["stackTrace"]}
        text = json.dumps(document)
    else:
        lines = ["[ERROR] %s: %s" % (error["errorType"], error["errorMessage"]) if error["errorMessage"] else "[ERROR] " + error["errorType"]]
        lines.append("Traceback (most recent call last):")
        for element in error["stackTrace"]:
            for line in element.splitlines() or [""]:
                stripped = line.lstrip(" ")
                lines.append("\u00a0" * (len(line) - len(stripped)) + stripped)
        text = "\n".join(lines)
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


# Logged before the error of a function whose init failed (the runtime's lambda_unhandled_exception_warning_message).
UNHANDLED_EXCEPTION_WARNING = (
    "LAMBDA_WARNING: Unhandled exception. The most likely cause is an issue in the function code. However, in rare "
    "cases, a Lambda runtime update can cause unexpected function behavior. For functions using managed runtimes, "
    "runtime updates can be triggered by a function change, or can be applied automatically. To determine if the "
    "runtime has been updated, check the runtime version in the INIT_START log entry. If this error correlates with a "
    "change in the runtime version, you may be able to mitigate this error by temporarily rolling back to the previous "
    "runtime version. For more information, see https://docs.aws.amazon.com/lambda/latest/dg/runtimes-update.html"
)


class RequestIdFilter(logging.Filter):
    request_id = ""

    def filter(self, record):
        record.aws_request_id = RequestIdFilter.request_id
        return True


class JsonFormatter(logging.Formatter):
    """The JSON log format (LoggingConfig): timestamp, level, message, logger, requestId; an exception's fields beside."""

    def format(self, record):
        line = {
            "timestamp": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(record.created)),
            "level": record.levelname,
            "message": record.getMessage(),
            "logger": record.name,
            "requestId": getattr(record, "aws_request_id", ""),
        }
        if record.exc_info and record.exc_info[1] is not None:
            exc = record.exc_info[1]
            line.update(errorType=type(exc).__name__, errorMessage=str(exc), stackTrace=traceback.format_tb(record.exc_info[2]))
        return json.dumps(line, default=str)


# The application log level's names in Python's logging (TRACE and FATAL have none of their own).
PYTHON_LEVELS = {"TRACE": "DEBUG", "DEBUG": "DEBUG", "INFO": "INFO", "WARN": "WARNING", "ERROR": "ERROR", "FATAL": "CRITICAL"}


def install_log_handler():
    """The runtime's root handler on stdout (the log stream): [LEVEL]<tab>UTC time<tab>request id<tab>message, or a JSON
    object per record when the function's LoggingConfig says JSON, the root logger then at AWS_LAMBDA_LOG_LEVEL."""
    handler = logging.StreamHandler(sys.stdout)
    if os.environ.get("AWS_LAMBDA_LOG_FORMAT", "").upper() == "JSON":
        handler.setFormatter(JsonFormatter())
        logging.getLogger().setLevel(PYTHON_LEVELS.get(os.environ.get("AWS_LAMBDA_LOG_LEVEL", "INFO").upper(), "INFO"))
    else:
        formatter = logging.Formatter(
            "[%(levelname)s]\t%(asctime)s.%(msecs)03dZ\t%(aws_request_id)s\t%(message)s", "%Y-%m-%dT%H:%M:%S"
        )
        formatter.converter = time.gmtime
        handler.setFormatter(formatter)
    handler.addFilter(RequestIdFilter())
    logging.getLogger().addHandler(handler)


class CognitoIdentity:
    """context.identity: awslambdaric always builds one; its ids are None when the invocation carried no identity."""

    def __init__(self):
        self.cognito_identity_id = None
        self.cognito_identity_pool_id = None


class Client:
    """context.client_context.client: the mobile app that invoked, its fields None when not sent (awslambdaric)."""

    __slots__ = ["installation_id", "app_title", "app_version_name", "app_version_code", "app_package_name"]


class ClientContext:
    """context.client_context: Invoke's ClientContext as awslambdaric builds it, its custom, env and client."""

    __slots__ = ["custom", "env", "client"]


def from_dict(cls, values):
    """An object of cls with each of its slots taken from values (None when absent), or None without values."""
    if values is None:
        return None
    obj = cls()
    for field in cls.__slots__:
        setattr(obj, field, values.get(field))
    return obj


class LambdaContext:
    """The context object of Lambda's Python runtime (attribute names as documented)."""

    def __init__(self, request_id, deadline_ms, tenant_id=None, client_context=None, qualified=None):
        ctx = dict(INIT["context"], **(qualified or {}))
        self.function_name = ctx["functionName"]
        self.function_version = ctx["functionVersion"]
        self.invoked_function_arn = ctx["invokedFunctionArn"]
        self.memory_limit_in_mb = ctx["memoryLimitInMB"]
        self.aws_request_id = request_id
        self.log_group_name = ctx["logGroupName"]
        self.log_stream_name = ctx["logStreamName"]
        self.identity = CognitoIdentity()
        self.client_context = from_dict(ClientContext, json.loads(client_context) if client_context else None)
        if self.client_context is not None:
            self.client_context.client = from_dict(Client, self.client_context.client)
        # Set only for a tenant-isolated function's invocation (awslambdaric lambda_context), None otherwise.
        self.tenant_id = tenant_id
        self._deadline_ms = deadline_ms

    def get_remaining_time_in_millis(self):
        return max(0, int(self._deadline_ms - time.time() * 1000))


PREFIXED_ADDRESS = re.compile(r"^[a-z0-9-]+?-(\d{1,3}(?:\.\d{1,3}){3})$", re.IGNORECASE)


def install_local_hosts():
    """What the Node.js environment does too (local-hosts.ts), where Python resolves names: a WebSocket API's
    execute-api host (built from the event's apiId) reaches the API's local port, its name kept for TLS (the local
    certificate names it; AWS_CA_BUNDLE trusts it); an operation's host prefix before an IP address (sync-127.0.0.1,
    StartSyncExecution) is that address."""
    hosts = INIT.get("localHosts") or {}
    original = socket.getaddrinfo

    def getaddrinfo(host, port, *args, **kwargs):
        name = host.decode("ascii", "replace") if isinstance(host, bytes) else host
        if isinstance(name, str):
            target = hosts.get(name.lower())
            if target is not None:
                return original(target["host"], target["port"], *args, **kwargs)
            prefixed = PREFIXED_ADDRESS.match(name)
            if prefixed:
                return original(prefixed.group(1), port, *args, **kwargs)
        return original(host, port, *args, **kwargs)

    socket.getaddrinfo = getaddrinfo


def load_handler():
    """Lambda's rules: "dir/module.function", the module imported with "/" read as "."; its errors by their names."""
    # A handler without a dot (Runtime.MalformedHandlerName) is refused when the template loads.
    modname, fname = INIT["handler"].rsplit(".", 1)
    if modname.split(".")[0] in sys.builtin_module_names:
        return None, fault("Runtime.BuiltInModuleConflict", "Cannot use built-in module %s as a handler module" % modname, [])
    try:
        module = importlib.import_module(modname.replace("/", "."))
    except ImportError as exc:
        return None, fault("Runtime.ImportModuleError", "Unable to import module '%s': %s" % (modname, exc), [])
    except SyntaxError as exc:
        # awslambdaric's frame, verbatim: four spaces, the offending line as Python read it (its newline kept).
        where = '  File "%s" Line %s\n    %s' % (exc.filename, exc.lineno, exc.text)
        return None, fault("Runtime.UserCodeSyntaxError", "Syntax error in module '%s': %s" % (modname, exc), [where])
    except Exception as exc:  # an error raised by the module's own code while it loads
        return None, from_exception(exc)
    handler = getattr(module, fname, None)
    if handler is None:
        return None, fault("Runtime.HandlerNotFound", "Handler '%s' missing on module '%s'" % (fname, modname), [])
    return handler, None


def outside_modules():
    """The modules the init phase loaded from files outside the task root, the layers and the interpreter's own
    packages, as [top-level name, file]: the zip Lambda runs holds only the CodeUri folder, so a module reached through
    a sys.path entry of the function's own (sys.path.insert(0, "..") to a shared folder) is not found there."""
    roots = [INIT["codeDir"]] + INIT.get("extraPaths", []) + [sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix, os.path.dirname(__file__)]
    inside = {os.path.abspath(root) for root in roots} | {os.path.realpath(root) for root in roots}

    def within(path):
        return any(path == root or path.startswith(root + os.sep) for root in inside)

    found = {}
    for name, module in list(sys.modules.items()):
        path = getattr(module, "__file__", None)
        # The plain path first: the interpreter's own modules are told apart without a system call each.
        if not path or within(os.path.abspath(path)):
            continue
        real = os.path.realpath(path)
        parts = real.split(os.sep)
        if "site-packages" in parts or "dist-packages" in parts or within(real):
            continue
        found.setdefault(name.split(".")[0], real)
    return sorted([name, path] for name, path in found.items())


# A finite Decimal is written as its own digits, as the runtime's marshaller writes str(value) as raw JSON
# (awslambdaric's lambda_runtime_marshaller: simplejson RawJSON): 5 stays 5, 1.10 stays 1.10, 20 digits stay 20 digits,
# where a float would make them 5.0, 1.1 and a rounded number. The standard json module has no raw values: each Decimal
# goes out as a string carrying this process's own marker, which marshal() then replaces with the digits.
DECIMAL_MARK = "\u0000%s:" % os.urandom(8).hex()
DECIMAL_STRING = re.compile(r'"%s([^"]*)"' % re.escape(json.dumps(DECIMAL_MARK)[1:-1]))


def decimal_serializer(value):
    # DynamoDB numbers come back as Decimal: the runtime writes them as JSON numbers.
    if isinstance(value, decimal.Decimal):
        # Not finite (NaN, Infinity): a float, which allow_nan=False refuses as any non-finite float.
        return DECIMAL_MARK + str(value) if value.is_finite() else float(value)
    # The message of the runtime's encoder (simplejson) and of Python's own json.
    raise TypeError("Object of type %s is not JSON serializable" % type(value).__name__)


# awslambdaric's Encoder writes non-ASCII characters as themselves (ensure_ascii=False) on python3.12 and later,
# as \u escapes on the older runtimes.
ASCII_ONLY = os.environ.get("AWS_EXECUTION_ENV") not in {
    "AWS_Lambda_python3.12", "AWS_Lambda_python3.13", "AWS_Lambda_python3.14", "AWS_Lambda_python3.15"}


def marshal(result):
    """The result as the runtime's JSON: NaN and infinite floats refused, a Decimal written as its digits."""
    text = json.dumps(result, default=decimal_serializer, allow_nan=False, ensure_ascii=ASCII_ONLY)
    return DECIMAL_STRING.sub(r"\1", text) if DECIMAL_MARK[1:] in text else text


def invoke(handler, message):
    OutputTail.kept = [] if message.get("tail") else None
    RequestIdFilter.request_id = message["requestId"]
    # The Python runtime sets the invocation's X-Ray trace id in the environment, as the X-Ray SDK reads it.
    os.environ["_X_AMZN_TRACE_ID"] = message["traceId"]
    try:
        event = json.loads(message["eventJson"])
        result = handler(event, LambdaContext(message["requestId"], message["deadline"], message.get("tenantId"), message.get("clientContext"), message.get("qualified")))
    except Exception as exc:
        error = from_exception(exc)
        log_error(error, message["requestId"])
        return send(OutputTail.take({"type": "error", "id": message["id"], "error": error}))
    try:
        # A NaN or infinite float is no JSON: refused here, as a result that cannot be marshalled.
        payload = marshal(result)
    except (TypeError, ValueError) as exc:
        error = fault("Runtime.MarshalError", "Unable to marshal response: %s" % exc, [])
        log_error(error, message["requestId"])
        return send(OutputTail.take({"type": "error", "id": message["id"], "error": error}))
    send(OutputTail.take({"type": "result", "id": message["id"], "payload": payload}))


# Read now: the function may change its own os.environ.
LOG_STREAM_NAME = os.environ.get("AWS_LAMBDA_LOG_STREAM_NAME", "")


def end_own_processes():
    """The gateway is gone and could not end them: the processes the function started go with this environment, as
    Lambda ends a sandbox whole (found as the gateway finds them, function-processes.ts: by this environment's
    AWS_LAMBDA_LOG_STREAM_NAME, which they inherit, in /proc; where there is none, the environment leads a process
    group of its own, which goes whole, this process with it)."""
    if not os.path.isdir("/proc/self"):
        try:
            os.killpg(os.getpid(), signal.SIGKILL)
        except OSError:
            pass
        return
    wanted = ("AWS_LAMBDA_LOG_STREAM_NAME=" + LOG_STREAM_NAME).encode("latin-1")
    for entry in os.listdir("/proc"):
        if not entry.isdigit() or int(entry) == os.getpid():
            continue
        try:
            with open("/proc/%s/environ" % entry, "rb") as environ:
                found = wanted in environ.read().split(b"\0")
            if found:
                os.kill(int(entry), signal.SIGKILL)
        except OSError:
            # Another user's, or gone since it was listed.
            continue


def exit_with_gateway():
    """Ends the environment as soon as the gateway's end of the channel closes (the gateway was killed, even with
    SIGKILL), even in the middle of an invocation, when the main thread does not read the channel: a poll for no event
    still reports the hang-up, and reads nothing the main thread is owed."""
    poller = select.poll()
    poller.register(CHANNEL_FD, 0)
    while True:
        if poller.poll():
            end_own_processes()
            os._exit(0)


def main():
    # Ctrl-C in the terminal reaches the whole process group: the gateway stops its environments itself (and an
    # environment ends when its channel closes), so SIGINT is not for this process: no KeyboardInterrupt traceback.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=exit_with_gateway, name="exit-with-gateway", daemon=True).start()
    # Lambda's task root first; the bootstrap's own folder is no place to import from.
    sys.path[:] = [INIT["codeDir"]] + INIT.get("extraPaths", []) + [p for p in sys.path[1:] if p]
    install_log_handler()
    install_local_hosts()
    handler, error = load_handler()
    if error is not None:
        logging.warning(UNHANDLED_EXCEPTION_WARNING)
        log_error(error)
        send({"type": "init-error", "error": error})
    else:
        outside = outside_modules()
        send({"type": "ready", "outside": outside} if outside else {"type": "ready"})
    with os.fdopen(CHANNEL_FD, "rb", closefd=False) as channel:
        for line in channel:
            message = json.loads(line)
            # Node's own control messages ({"cmd": "NODE_..."}) are not invocations.
            if "cmd" in message or handler is None:
                continue
            invoke(handler, message)
    # The gateway went away: an environment never outlives it, nor do the processes its function started.
    end_own_processes()


main()
