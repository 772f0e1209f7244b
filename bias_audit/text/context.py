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
inside the sentence.

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
from collections.abc import Sequence

from spacy.tokens import Doc

from bias_audit.lexicon_context import ContextCue, ContextCues, load_context
from bias_audit.text.context_blocks import LEAD, OTHER, Block, Segments, sentence_spans, trim_span
from bias_audit.text.context_rules import HEADING_END_CHARS, KeywordPlaces, compile_cues
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
    # Keyword pre-filter: of each cue group's required words, those the text holds at all. A
    # sentence holding none of them cannot match the group's regex, which then is not run.
    # A rule none of whose words the text holds, and none of whose anchored cues can start
    # a sentence (openings empty), cannot decide any sentence here: it is left out.
    # One pass of the keyword automaton finds every place each keyword stands; a sentence
    # holds a keyword when one of its places lies inside the sentence.
    places = compiled.keyword_places(lower)
    sentence_rules = [
        (
            rule.kind,
            rule.kept_from,
            None if rule.openings is not None and not rule.openings else rule.anchored,
            rule.openings,
            rule.opening_length,
            None if rule.keywords is None else frozenset(rule.keywords),
            rule.anywhere,
            rule.by_group,
        )
        for rule in compiled.sentence
        if rule.keywords is None
        or not places.held.isdisjoint(rule.keywords)
        or rule.openings is None
        or rule.openings
    ]
    ascii_text = text.isascii()
    headings_ascii = compiled.heading_phrases is not None
    plain_spaces = headings_ascii and ascii_text and _OTHER_ASCII_SPACE.search(text) is None
    longest_heading = compiled.heading_longest
    blocks: list[Block] = []
    section, section_cue = OTHER, ""
    section_rules: dict[str, tuple[list[_Rule], list[_Rule]]] = {}
    position = 0
    for line in text.split("\n"):
        line_start = position
        position += len(line) + 1
        lead = LEAD.match(line)
        begin = lead.end() if lead else 0
        stripped = line[begin:].rstrip()
        if not stripped:
            continue
        start, end = line_start + begin, line_start + begin + len(stripped)
        line_cue = compiled.match_line(stripped)
        if line_cue is not None:
            blocks.append(Block(start, end, line_cue.kind, line_cue.id, section))
            continue
        # In ASCII text whose only white space is " " and line breaks, a line holding more
        # non-space characters than the longest heading, not ending in a heading end (so
        # stripping that changes nothing), is no heading: whole_heading says so, slower.
        # (Asked of the line itself when the whole text is not such: most lines of an
        # advert with a "£" or a dash are.)
        heading = (
            None
            if stripped[-1] not in HEADING_END_CHARS
            and len(stripped) - stripped.count(" ") > longest_heading
            and (
                plain_spaces
                or (
                    headings_ascii
                    and stripped.isascii()
                    and _OTHER_ASCII_SPACE.search(stripped) is None
                )
            )
            else compiled.whole_heading(stripped)
        )
        if heading is not None:
            blocks.append(Block(start, end, "heading", heading.id, heading.kind))
            section, section_cue = heading.kind, heading.id
            continue
        if compiled.label_free(text, start, end, ascii_text=ascii_text):
            span = trim_span(text, start, end)
            pieces = () if span is None else ((span[0], span[1], None),)
        else:
            pieces = compiled.pieces(text, lower, start, end)
        for piece_start, piece_end, label in pieces:
            if label is not None and label.scope == "heading":
                blocks.append(Block(piece_start, piece_end, "heading", label.id, label.kind))
                section, section_cue = label.kind, label.id
            elif label is not None:  # a job-board field
                blocks.append(Block(piece_start, piece_end, label.kind, label.id, section))
            else:
                # the rules a cue of which may take a sentence over from this section
                # (and of those, the ones that may match a sentence holding no keyword)
                rules = section_rules.get(section)
                if rules is None:
                    allowed = [rule for rule in sentence_rules if section not in rule[1]]
                    rules = section_rules[section] = (
                        allowed,
                        [rule for rule in allowed if rule[2] is not None or rule[5] is None],
                    )
                for sentence_start, sentence_end in sentence_spans(text, piece_start, piece_end):
                    kind, cue = _classify(rules, lower, sentence_start, sentence_end, places)
                    if cue is None:
                        kind, cue = section, f"section:{section_cue}" if section_cue else ""
                    blocks.append(Block(sentence_start, sentence_end, kind, cue, section))
    return Segments(text, compiled.carve_phrases(lower, blocks, places))


#: One sentence rule as :func:`_classify` reads it: kind, section kinds it may not take over,
#: the anchored regex (``None``: it cannot match), the openings and their length, the keywords
#: one of which any match of the other regex holds (``None``: no pre-filter), the regex for cues
#: found anywhere, and the cue by group name.
_Rule = tuple[
    str,
    frozenset[str],
    re.Pattern[str] | None,
    frozenset[str] | None,
    int,
    frozenset[str] | None,
    re.Pattern[str],
    dict[str, ContextCue],
]


def _classify(
    rules: tuple[Sequence[_Rule], Sequence[_Rule]],
    lower: str,
    start: int,
    end: int,
    places: KeywordPlaces,
) -> tuple[str | None, str | None]:
    """The kind a sentence cue gives ``lower[start:end]`` (lower case), and the cue's id.

    ``rules``: those that may take the sentence over from its section, and of those the
    ones that may match a sentence holding none of the keywords. ``(None, None)`` when no
    cue decides.
    """
    if lower[start].isalpha():  # LEAD strips only white space, bullets and numbering
        body = lower[start:end]
    else:
        lead = LEAD.match(lower, start, end)
        body = lower[lead.end() if lead else start : end]
    inside = places.inside(end - len(body), end)
    for kind, _kept_from, anchored, openings, length, keywords, anywhere, by_group in (
        rules[0] if inside else rules[1]
    ):
        found = None
        if anchored is not None and (openings is None or body[:length] in openings):
            found = anchored.match(body)
        if found is None and (keywords is None or not keywords.isdisjoint(inside)):
            found = anywhere.search(body)
        if found is not None:
            return kind, by_group[found.lastgroup or ""].id
    return None, None
