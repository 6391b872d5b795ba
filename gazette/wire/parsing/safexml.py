"""XML from outside, read without trusting it.

Every wire XML file is first read by defusedxml with document type declarations
forbidden: no entity can expand ("billion laughs") and no external entity or DTD
can reach a local file or the network (XXE). Only then does lxml build the tree the
formats walk, itself with entities, DTD loading and the network turned off.
"""

import codecs
import re
from xml.etree.ElementTree import ParseError as ExpatError

import defusedxml.ElementTree
from defusedxml import DTDForbidden, EntitiesForbidden, ExternalReferenceForbidden
from lxml import etree

from gazette.wire.parsing.base import ParseError

DECLARED_ENCODING = re.compile(
    rb"^\s*<\?xml[^>]*?\bencoding\s*=\s*[\"']([A-Za-z0-9._-]+)[\"']"
)


def check_encoding(data: bytes) -> None:
    """Refuse XML whose bytes are not in the encoding it declares (UTF-8 if none)."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        codec = "utf-16"
        declared = None
    else:
        match = DECLARED_ENCODING.match(data)
        declared = match[1].decode("ascii") if match else None
        codec = declared or "utf-8"
    try:
        codecs.lookup(codec)
    except LookupError:
        raise ParseError(
            f"the XML declares an encoding Gazette does not know ({codec!r})"
        ) from None
    try:
        data.decode("utf-8-sig" if codec.lower() in {"utf-8", "utf8"} else codec)
    except UnicodeDecodeError as error:
        byte = error.object[error.start : error.start + 1].hex()
        if declared:
            raise ParseError(
                f"the XML says its encoding is {declared} but it is not "
                f"(byte 0x{byte} at offset {error.start})"
            ) from None
        raise ParseError(
            "the XML declares no encoding and is not UTF-8 "
            f"(byte 0x{byte} at offset {error.start})"
        ) from None


def parse_xml(data: bytes) -> etree._Element:
    """The root element of an XML file, or a ParseError saying what is wrong."""
    if not data.strip():
        raise ParseError("the file is empty")
    check_encoding(data)
    try:
        defusedxml.ElementTree.fromstring(
            data, forbid_dtd=True, forbid_entities=True, forbid_external=True
        )
    except DTDForbidden:
        raise ParseError(
            "the XML has a document type declaration (<!DOCTYPE>), which can "
            "expand entities or reach other files; wire copy needs none"
        ) from None
    except EntitiesForbidden:
        raise ParseError("the XML declares entities, which Gazette refuses") from None
    except ExternalReferenceForbidden:
        raise ParseError(
            "the XML refers to an external entity, which Gazette refuses"
        ) from None
    except ExpatError as error:
        raise ParseError(f"the XML is malformed or cut short ({error})") from None
    parser = etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )
    try:
        return etree.fromstring(data, parser)
    except etree.XMLSyntaxError as error:
        raise ParseError(f"the XML is malformed or cut short ({error})") from None
