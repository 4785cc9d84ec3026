"""The newsletter editor's board: every section and item, each kept or left out, in the facilitators' order.

`Newsletter.sections` holds only what goes out (what the renderer, the archive and the click redirect read);
`Newsletter.board` holds the editor's full state, so a left-out item can be ticked again later and refreshing
the sections from the last 30 days keeps every choice: kept stays kept, left out stays left out, the order
stays, and only items that are new since are added (ticked, at the end of their section).
"""

from collections.abc import Mapping


def board_of(newsletter) -> list[dict]:
    """The saved board, or (before the first save) every section and item of the draft, all kept."""
    if newsletter.board:
        return newsletter.board
    return [_all_kept(section) for section in newsletter.sections]


def _all_kept(section: dict) -> dict:
    return {
        "key": section.get("key", ""),
        "title": section["title"],
        "kept": True,
        "items": [{**item, "kept": True} for item in section["items"]],
    }


def chosen_sections(board: list[dict]) -> list[dict]:
    """What goes out: kept sections with their kept items, in board order; empty sections dropped."""
    sections = []
    for row in board:
        items = [{k: v for k, v in item.items() if k != "kept"} for item in row["items"] if item["kept"]]
        if row["kept"] and items:
            sections.append({"key": row["key"], "title": row["title"], "items": items})
    return sections


def _position(post: Mapping, name: str, default: float) -> float:
    try:
        return float(post.get(name, default))
    except (TypeError, ValueError):
        return float(default)


def board_from_post(board: list[dict], post: Mapping) -> list[dict]:
    """The board as the facilitator ticked and numbered it (fields s<r>-keep/-pos, s<r>-i<n>-keep/-pos)."""
    rows = []
    for r, row in enumerate(board):
        items = [
            (_position(post, f"s{r}-i{n}-pos", n + 1), n, {**item, "kept": post.get(f"s{r}-i{n}-keep") == "on"})
            for n, item in enumerate(row["items"])
        ]
        ordered = [item for _, _, item in sorted(items, key=lambda t: (t[0], t[1]))]
        kept = post.get(f"s{r}-keep") == "on"
        rows.append((_position(post, f"s{r}-pos", r + 1), r, {**row, "kept": kept, "items": ordered}))
    return [row for _, _, row in sorted(rows, key=lambda t: (t[0], t[1]))]


def merge_fresh(board: list[dict], fresh: list[dict]) -> tuple[list[dict], int]:
    """Refresh the board from freshly built sections, keeping every choice; returns (board, items added)."""
    fresh_by_key = {section["key"]: section for section in fresh}
    merged, added = [], 0
    for row in board:
        section = fresh_by_key.pop(row["key"], None)
        fresh_items = {item["url"]: item for item in section["items"]} if section else {}
        known = {item["url"] for item in row["items"]}
        # Titles and counts ("3 new replies") come from the fresh build; the choice and the place stay.
        items = [{**fresh_items.get(item["url"], item), "kept": item["kept"]} for item in row["items"]]
        new = [{**item, "kept": True} for url, item in fresh_items.items() if url not in known]
        added += len(new)
        merged.append({**row, "title": section["title"] if section else row["title"], "items": items + new})
    for section in fresh_by_key.values():
        added += len(section["items"])
        merged.append(_all_kept(section))
    return merged, added
