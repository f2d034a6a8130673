"""Meta's Resumable Upload API (reference §5.3; Meta's "Upload a file" guide), which is how a template's
media header gets its sample: `POST /{app-id}/uploads` opens a session, `POST /upload:<id>` with
`file_offset` sends bytes and answers the file handle `h`, `GET /upload:<id>` says where to resume.
Template creation then accepts only handles this sandbox issued (`check_header_handles`).
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
from urllib.parse import urlencode

from .errors import SUB_UNKNOWN_OBJECT, GraphError
from .state import SandboxState, UploadedFile, UploadSession

_MB = 1024 * 1024
# The file types the guide allows, with the largest sample the sandbox takes of each (Meta's media limits).
FILE_TYPES = {"application/pdf": 100 * _MB, "image/jpeg": 5 * _MB, "image/jpg": 5 * _MB, "image/png": 5 * _MB,
              "video/mp4": 16 * _MB}
# Which uploaded types fit which header format (GIF headers are MP4 files, MM API only).
FORMAT_TYPES = {"IMAGE": ("image/jpeg", "image/jpg", "image/png"), "VIDEO": ("video/mp4",),
                "DOCUMENT": ("application/pdf",), "GIF": ("video/mp4",)}
MEDIA_FORMATS = tuple(FORMAT_TYPES)
SESSION_RE = re.compile(r"^upload:[A-Za-z0-9_\-=]{8,512}$")
SUB_INVALID_HANDLE = 2494102  # Meta's "Uploaded media handle is invalid"


def _b64(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode()


class Uploads:
    def __init__(self, state: SandboxState, secret: bytes):
        self.state = state
        self.secret = secret

    # --- sessions ---------------------------------------------------------------------------------
    def signature(self, session_id: str) -> str:
        # Meta's session ids carry `?sig=AR…`; the client sends the id back verbatim, query and all.
        return "AR" + hmac.new(self.secret, session_id.encode(), hashlib.sha256).hexdigest()[:24]

    def public_id(self, session: UploadSession) -> str:
        return f"{session.id}?{urlencode({'sig': self.signature(session.id)})}"

    def start(self, app_id: str, params: dict) -> UploadSession:
        """`POST /{app-id}/uploads?file_name=&file_length=&file_type=`."""
        raw_length = params.get("file_length")
        if raw_length in (None, ""):
            raise GraphError(100, "The parameter file_length is required.")
        try:
            length = int(str(raw_length))
        except ValueError:
            raise GraphError(100, f"Param file_length must be an integer, got {raw_length!r}.") from None
        file_type = str(params.get("file_type") or "").strip().lower()
        if not file_type:
            raise GraphError(100, "The parameter file_type is required.")
        if file_type not in FILE_TYPES:
            raise GraphError(100, f"Param file_type must be one of {{{', '.join(FILE_TYPES)}}} - got "
                                  f"{params.get('file_type')!r}.")
        if length <= 0:
            raise GraphError(100, "Param file_length must be a positive number of bytes.")
        if length > FILE_TYPES[file_type]:
            raise GraphError(100, f"Param file_length is {length} bytes; a {file_type} sample can be at most "
                                  f"{FILE_TYPES[file_type]} bytes.")
        name = str(params.get("file_name") or "")
        if len(name) > 255:
            raise GraphError(100, "Param file_name must be at most 255 characters.")
        state = self.state
        with state.lock:
            # Meta's opaque id is base64 of "1:attachment:<uuid>?file_name=…"; the shape is kept.
            opaque = _b64(f"1:attachment:{secrets.token_hex(16)}?"
                          + urlencode({"file_length": length, "file_type": file_type}))
            session = UploadSession(id=f"upload:{opaque}", app_id=app_id, file_name=name, file_length=length,
                                    file_type=file_type, created_at=state.now())
            state.uploads[session.id] = session
        return session

    def session(self, session_id: str, sig: str | None, method: str) -> UploadSession:
        """The session named in the path; a wrong or missing `sig` is the same unknown object as no session."""
        session = self.state.uploads.get(session_id)
        if session is None or not sig or not hmac.compare_digest(self.signature(session_id), sig):
            raise GraphError(100, f"Unsupported {method.lower()} request. Object with ID '{session_id}' does not "
                                  "exist, cannot be loaded due to missing permissions, or does not support this "
                                  "operation.", subcode=SUB_UNKNOWN_OBJECT)
        return session

    def receive(self, session: UploadSession, offset_header: str | None, data: bytes) -> dict:
        """`POST /upload:<id>` with `file_offset` and raw bytes: `{"h"}` once the file is whole."""
        if offset_header is None or offset_header.strip() == "":
            raise GraphError(100, "The header file_offset is required (0 for a new upload; GET the upload session "
                                  "to learn where to resume).")
        try:
            offset = int(offset_header)
        except ValueError:
            raise GraphError(100, f"Header file_offset must be an integer, got {offset_header!r}.") from None
        state = self.state
        with state.lock:
            received = len(session.data)
            if offset != received:
                raise GraphError(100, f"Header file_offset is {offset} but the session has {received} bytes: "
                                      f"resume at file_offset {received}.")
            if offset + len(data) > session.file_length:
                raise GraphError(100, f"The upload is {offset + len(data)} bytes, more than the session's "
                                      f"file_length of {session.file_length}.")
            if not data and received < session.file_length:
                raise GraphError(100, "The request has no file bytes.")
            session.data.extend(data)
            if len(session.data) < session.file_length:
                # Meta documents only whole uploads and resuming; a short chunk is kept, as if cut off.
                return {"id": self.public_id(session), "file_offset": len(session.data)}
            if session.handle is None:
                session.handle = self._issue(session)
            return {"h": session.handle}

    def status(self, session: UploadSession) -> dict:
        """`GET /upload:<id>`: how many bytes arrived (where to resume)."""
        return {"id": self.public_id(session), "file_offset": len(session.data)}

    def _issue(self, session: UploadSession) -> str:
        # Meta's handles read "4::<base64 of the MIME type>:AR…"; the demo's seeded ones look the same.
        mime = base64.b64encode(session.file_type.encode()).decode()
        handle = f"4::{mime}:AR{secrets.token_urlsafe(24)}"
        self.state.handles[handle] = UploadedFile(
            handle=handle, app_id=session.app_id, file_type=session.file_type, file_length=session.file_length,
            file_name=session.file_name, sha256=hashlib.sha256(bytes(session.data)).hexdigest(),
            created_at=self.state.now())
        self.state.dirty = True
        return handle


# --- the template side -----------------------------------------------------------------------------

def _known_handles(state: SandboxState, waba_id: str) -> set[str]:
    """Handles already on the WABA's templates (the demo's seeded ones, or what a client read back and
    sends again in an edit): Meta accepted them once, so the sandbox does again."""
    found: set[str] = set()
    for template in state.templates_of(waba_id):
        for _path, header in _media_headers(template.components, "components"):
            found.update(h for h in (header.get("example") or {}).get("header_handle") or [] if isinstance(h, str))
    return found


def _media_headers(components: list, path: str):
    for i, comp in enumerate(components or []):
        if not isinstance(comp, dict):
            continue
        kind = str(comp.get("type") or "").upper()
        if kind == "HEADER" and str(comp.get("format") or "").upper() in MEDIA_FORMATS:
            yield f"{path}[{i}]", comp
        elif kind == "CAROUSEL":
            for j, card in enumerate(comp.get("cards") or []):
                if isinstance(card, dict):
                    yield from _media_headers(card.get("components") or [], f"{path}[{i}].cards[{j}].components")


def invalid_handle(path: str, why: str) -> GraphError:
    return GraphError(100, f"Parameter '{path}' is invalid: {why}", subcode=SUB_INVALID_HANDLE,
                      message="Invalid parameter", user_title="Uploaded media handle is invalid",
                      user_msg="The media handle in example.header_handle was not uploaded with the Resumable "
                               "Upload API. Upload the sample again and use the new handle.")


def check_header_handles(state: SandboxState, waba_id: str, components: list) -> None:
    """Every media header (and carousel card header) must give a handle the sandbox issued, of a file type
    that fits its format, or one already on a template of this WABA."""
    known: set[str] | None = None
    for path, header in _media_headers(components, "components"):
        handles = (header.get("example") or {}).get("header_handle")
        fmt = str(header.get("format")).upper()
        if not isinstance(handles, list) or not handles:
            continue  # the definition checks already demand a handle
        for k, handle in enumerate(handles):
            where = f"{path}.example.header_handle[{k}]"
            if not isinstance(handle, str) or not handle:
                raise invalid_handle(where, "must be a file handle string from the Resumable Upload API")
            uploaded = state.handles.get(handle)
            if uploaded is not None:
                if uploaded.file_type not in FORMAT_TYPES[fmt]:
                    raise invalid_handle(where, f"the uploaded file is {uploaded.file_type}; a {fmt} header needs "
                                                f"{' or '.join(FORMAT_TYPES[fmt])}")
                continue
            if known is None:
                known = _known_handles(state, waba_id)
            if handle not in known:
                raise invalid_handle(where, "this handle was never issued by the Resumable Upload API "
                                            "(POST /{app-id}/uploads, then POST /upload:<id>)")
