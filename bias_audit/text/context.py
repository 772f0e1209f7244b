"""What each part of an advert describes: the applicant, the employer, duties, patients, notices.

An advert mixes several kinds of text: job-board fields ("Grade: Band 3"), headings, a
description of the person sought ("About you", "we are looking for a ... person"), of the
employer and team ("About us", "a friendly team"), the duties ("Main duties", "To support
registered staff"), the patients and services, the employer's values and standard notices
(equal opportunities, visas, DBS). A word means different things in each: "support" in a duty
list is a task, in "a supportive team" it describes the team. :func:`segment` labels every
stretch of text with one kind, so that an analyser can judge a match by where it stands.

The headings and cue phrases are data, in ``lexicons/context.yml`` (each with a reason, a
source and examples), validated by :func:`bias_audit.lexicon_context.load_context`. The method, in
order:

1. each line is a job-board field (``metadata``), a recognised heading, or prose; a heading
   sets the kind of the section that follows it, up to the next recognised heading. Headings
   and fields written inline, as in adverts whose line breaks were lost ("Location: Leeds
   The Role; You will ..."), split the line;
2. prose is split into sentences (end punctuation, bullets); a sentence cue decides its kind
   in the file's ``precedence`` order (boilerplate, values, duties, candidate, organisation,
   patients), except that a patients cue never overrides a section about the applicant, the
   employer or the duties; a sentence no cue decides takes its section's kind (``other``
   outside any section);
3. phrase cues ("a friendly, supportive team", "a confident individual", the NHS
   Constitution value names) give their words their own kind inside any prose sentence.

Blocks never overlap and are in text order; white space between them belongs to none
(:meth:`Segments.kind_at` says ``"other"`` there). Everything is regular expressions over the
text (lower-cased once); a cue group's regex runs only on sentences that hold one of the
literal words every match of it contains (read from the parsed patterns), which leaves the
results unchanged and skips most searches. One Aho-Corasick pass (``pyahocorasick``) finds
every place of those words in the text; a sentence holds a word when one of its places lies
inside the sentence. Each cue group and phrase cue is one bit
(:mod:`bias_audit.text.context_masks`): the sentences, taken in text order, collect the masks
of the places inside them in one sweep, and a group's anchored regex runs only on sentences
opening with a text its matches open with.

Examples
--------
>>> from bias_audit.text.context import segment
>>> advert = (
...     "Grade: Band 3\\n"
...     "Main duties\\n"
...     "- To support registered staff with personal care.\\n"
...     "About you\\n"
...     "You are confident and kind.\\n"
...     "We are an equal opportunities employer."
... )
>>> segments = segment(advert)
>>> [(block.kind, advert[block.start:block.end]) for block in segments]
... # doctest: +NORMALIZE_WHITESPACE
[('metadata', 'Grade: Band 3'), ('heading', 'Main duties'),
 ('duties', 'To support registered staff with personal care.'), ('heading', 'About you'),
 ('candidate', 'You are confident and kind.'),
 ('boilerplate', 'We are an equal opportunities employer.')]
>>> segments.kind_at(advert.index("confident")), segments.kind_at(advert.index("support"))
('candidate', 'duties')
"""

from __future__ import annotations

import re

from spacy.tokens import Doc

from bias_audit.lexicon_context import ContextCue, ContextCues, load_context
from bias_audit.text.context_blocks import (
    LEAD,
    OTHER,
    Block,
    Segments,
    new_block,
    sentence_spans,
    trim_span,
)
from bias_audit.text.context_rules import (
    FIXED_KINDS,
    HEADING_END_CHARS,
    UPPER_PAIR,
    CompiledCues,
    compile_cues,
)
from bias_audit.text.pipeline import doc_text

#: ASCII white space (as ``str.isspace`` counts it) other than " " and "\n".
_OTHER_ASCII_SPACE = re.compile(
    "[" + "".join(chr(n) for n in range(128) if chr(n).isspace() and chr(n) not in " \n") + "]"
)


def segment(doc: Doc | str, *, cues: ContextCues | None = None) -> Segments:
    """Label every stretch of an advert with what it describes.

    Parameters
    ----------
    doc
        A Doc from :func:`bias_audit.text.pipeline.get_pipeline`, or the text itself.
    cues
        Loaded context cues; ``None`` loads ``lexicons/context.yml``.

    Returns
    -------
    Segments
        The blocks in text order (a sequence of :class:`Block`), with
        :meth:`Segments.kind_at` and :meth:`Segments.passages`.

    Examples
    --------
    >>> text = "About us\\nWe are a small, friendly team.\\nResponding to emergencies."
    >>> [(b.kind, b.cue) for b in segment(text)]
    ... # doctest: +NORMALIZE_WHITESPACE
    [('heading', 'heading-organisation'), ('organisation', 'organisation-we-are'),
     ('duties', 'duties-you-will')]
    """
    text = doc if isinstance(doc, str) else doc_text(doc)
    compiled = compile_cues(load_context() if cues is None else cues)
    lower = text.lower()
    if len(lower) != len(text):  # a few characters lower-case to two ("İ"): keep those
        lower = "".join(ch.lower() if len(ch.lower()) == 1 else ch for ch in text)
    # Keyword pre-filter: a sentence holding none of a cue group's required words cannot
    # match the group's regex, which then is not run. One pass of the keyword automaton
    # finds every place each keyword stands; the sentences, taken in text order, collect
    # the masks of the places inside them (context_masks).
    places = compiled.keyword_places(lower)
    masks = compiled.masks
    phrase_shift, phrase_always = masks.phrase_shift, masks.phrase_always
    ascii_text = text.isascii()
    headings_ascii = compiled.heading_phrases is not None
    plain_spaces = headings_ascii and ascii_text and _OTHER_ASCII_SPACE.search(text) is None
    blocks: list[Block] = []
    section, section_cue, allowed = OTHER, "", masks.allowed(OTHER)

    def prose(piece_start: int, piece_end: int) -> None:
        """Label the sentences of a prose piece: a sentence cue, else the section's kind."""
        for start, end in sentence_spans(text, piece_start, piece_end):
            if lower[start].isalpha():  # LEAD strips only white space, bullets and numbering
                body_start = start
            else:
                lead = LEAD.match(lower, start, end)
                body_start = lead.end() if lead else start
            if places.next_end > end:  # no keyword place ends inside: take() would say 0, 0
                found = body_found = 0
            else:
                found, body_found = places.take(start, body_start, end)
            decided = compiled.classify(lower[body_start:end], body_found, allowed)
            kind, cue = (section, section_cue) if decided is None else decided
            block = new_block((start, end, kind, cue, section))
            if (found >> phrase_shift) | phrase_always and kind not in FIXED_KINDS:
                compiled.carve(lower, block, found, blocks)
            else:  # no phrase cue can match here (carve would add the block as it is)
                blocks.append(block)

    def fixed(block: Block) -> None:
        """Add a field or line block (phrase cues carve it unless its kind is fixed)."""
        if block.kind in FIXED_KINDS:
            blocks.append(block)
        else:
            compiled.carve(
                lower, block, places.take(block.start, block.start, block.end)[0], blocks
            )

    position = 0
    for line in text.split("\n"):
        line_start = position
        position += len(line) + 1
        if not line:
            continue
        if line[0].isalpha():  # LEAD matches nothing at a letter
            begin, stripped = 0, line.rstrip()
        else:
            lead = LEAD.match(line)
            begin = lead.end() if lead else 0
            stripped = line[begin:].rstrip()
            if not stripped:
                continue
        start, end = line_start + begin, line_start + begin + len(stripped)
        line_cue = compiled.match_line(stripped)
        if line_cue is not None:
            fixed(Block(start, end, line_cue.kind, line_cue.id, section))
            continue
        heading = _line_heading(compiled, stripped, plain_spaces=plain_spaces)
        if heading is not None:
            blocks.append(new_block((start, end, "heading", heading.id, heading.kind)))
            section, section_cue = heading.kind, _section_cue(heading.id)
            allowed = masks.allowed(section)
            continue
        # label_free's first tests, on the line already cut out
        if (":" in stripped or ";" in stripped or UPPER_PAIR.search(stripped) is not None) and (
            not compiled.label_free(text, start, end, ascii_text=ascii_text)
        ):
            pieces = compiled.pieces(text, lower, start, end)
        else:
            if text[start].isalpha():  # trim_span would keep the line as it is
                prose(start, end)
            else:
                span = trim_span(text, start, end)
                if span is not None:
                    prose(*span)
            continue
        for piece_start, piece_end, label in pieces:
            if label is None:
                prose(piece_start, piece_end)
            elif label.scope == "heading":
                blocks.append(Block(piece_start, piece_end, "heading", label.id, label.kind))
                section, section_cue = label.kind, _section_cue(label.id)
                allowed = masks.allowed(section)
            else:  # a job-board field
                fixed(Block(piece_start, piece_end, label.kind, label.id, section))
    return Segments(text, blocks)


def _line_heading(compiled: CompiledCues, line: str, *, plain_spaces: bool) -> ContextCue | None:
    """``compiled.whole_heading(line)`` (``line`` holds no line break), most lines faster.

    In ASCII text whose only white space is " " (``plain_spaces``: the whole text is known
    to be such; else the line is asked: most lines of an advert with a "£" or a dash are),
    whole_heading strips the heading end (":", "." ...) and spaces from the line's end and
    finds a heading exactly when the words of what is left, lower-cased and joined by one
    space, are a heading phrase (``heading_by_phrase``). A line holding more non-space
    characters than the longest phrase is none, without joining its words.
    """
    if compiled.heading_phrases is not None and (
        # (an ASCII line printable throughout holds no white space but " ": the other
        # ASCII white space characters are control characters)
        plain_spaces
        or (line.isascii() and (line.isprintable() or _OTHER_ASCII_SPACE.search(line) is None))
    ):
        bare = line.rstrip(_HEADING_STRIP)
        if len(bare) - bare.count(" ") > compiled.heading_longest:
            return None
        return compiled.heading_by_phrase.get(" ".join(bare.lower().split()))
    return compiled.whole_heading(line)


#: What whole_heading strips from a line's end, where the only white space is " ".
_HEADING_STRIP = HEADING_END_CHARS + " "


def _section_cue(heading_id: str) -> str:
    """The cue of a sentence whose kind comes from the section under heading ``heading_id``."""
    return f"section:{heading_id}" if heading_id else ""
