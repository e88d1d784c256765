"""Both papers' cases in the 2001 wars, cross-referenced to the contributor rows (issue 20).

Resnick (2015)'s smart-power cases in these wars (data/raw/smartpower_cases.csv: Pakistan and the NATO allies
in Afghanistan 2001; Turkey, Poland and Mongolia in Iraq 2003) and Resnick (2013)'s remark that both US-led
coalitions suffered "premature alliance defections" (lines 677-679, citing Tago 2009 on unilateral
withdrawals), each against the rows of data/raw/coalition_contributors_2001.csv: the member's row and its
exit code, or why the case is not a member (data/raw/coalition_2001_excluded.csv).

Writes results/tables/coalition_2001_cases.{csv,tex,md}. Run: make coalition-2001-cases (or python
analysis/coalition_2001_cases.py)
"""

import pandas as pd

from .. import _io, paths
from ..panel import coalition2001 as c2001
from ..panel.exits import classify_exits
from ..smartpower.cases import read_cases

#: the 19 members of NATO in October 2001 (COW ccodes): the allies of Resnick (2015)'s NATO-AFG-2001 case
NATO_2001 = (2, 20, 200, 210, 211, 212, 220, 230, 235, 255, 290, 310, 316, 325, 350, 385, 390, 395, 640)
WAR_OF = {"Afghanistan 2001": 9001, "Iraq 2003": 9002, "Iraq 2003-11": 9002}
STATE_OF = {"Pakistan": 770, "Mongolia": 712, "Turkey": 640, "Poland": 290}


def _member_rows() -> pd.DataFrame:
    contributors = c2001.read_contributors_2001()
    spells = c2001.contributor_spells(contributors)
    info = classify_exits(spells, c2001.contributor_exits(contributors))
    key = ["war_num", "side", "ccode", "spell"]
    return contributors.merge(info[key + ["defected", "defected_broad", "exit_early", "event_date"]], on=key)


def _describe(r) -> str:
    return (f"{r.state_name}, spell {r.spell}: {r.entry_date:%Y-%m-%d} to {r.exit_date:%Y-%m-%d}, peak "
            f"{r.peak_troops}, {r.exit_type} (partners objected {r.partners_objected})"
            + (f", contested: alternative {r.alt_exit_type}/{r.alt_partners_objected}" if r.contested else ""))


def cases_table() -> pd.DataFrame:
    members = _member_rows()
    excluded = c2001.read_excluded_2001()
    cases = read_cases()
    rows = []
    for case in cases[cases["war"].isin(list(WAR_OF))].itertuples():
        war = WAR_OF[case.war]
        base = {"paper": "Resnick (2015)", "case": case.case_id, "where": case.source, "war_num": war,
                "strategy_in_paper": case.paper_strategy}
        if case.target == "NATO allies":
            allies = members[(members.war_num == war) & members.ccode.isin(NATO_2001) & (members.ccode != 2)]
            early = allies[allies.entry_date <= pd.Timestamp("2002-03-31")]
            rows.append({**base, "state": "NATO allies (18 members besides the US in 2001)", "member": "as states",
                         "contributor_rows": "; ".join(f"{r.state_name} (from {r.entry_date:%Y-%m})"
                                                       for r in early.itertuples()),
                         "defected": int(allies["defected"].sum()), "defected_broad": int(allies["defected_broad"].sum()),
                         "note": f"NATO is no state; {allies['ccode'].nunique()} of its 18 other members of 2001 are "
                                 f"member rows ({len(early)} present by March 2002, listed); Iceland and Luxembourg "
                                 "fall below the threshold (coalition_2001_excluded.csv). Defections among them: "
                                 + (", ".join(allies.loc[allies.defected.astype(bool), 'state_name']) or "none")})
            continue
        ccode = STATE_OF[case.target]
        row = members[(members.war_num == war) & (members.ccode == ccode)]
        if len(row):
            r = row.iloc[0]
            rows.append({**base, "state": case.target, "member": "yes", "contributor_rows": _describe(r),
                         "defected": int(r.defected), "defected_broad": int(r.defected_broad),
                         "note": "side payments in the paper; the member's exit as coded"})
        else:
            ex = excluded[(excluded.war_num == war) & (excluded.ccode == ccode)]
            reason = ex["reason"].iloc[0] if len(ex) else "not in either file"
            rows.append({**base, "state": case.target, "member": "no", "contributor_rows": "",
                         "defected": 0, "defected_broad": 0, "note": f"not a member: {reason}"})
    d = members[members.defected_broad.astype(bool)]
    for war in c2001.WARS:
        sel = d[d.war_num == war]
        rows.append({"paper": "Resnick (2013)", "case": "premature alliance defections", "where":
                     "lines 677-679 and n. 154 (Saideman and Auerswald 2012; Tago 2009)", "war_num": war,
                     "strategy_in_paper": "", "state": "the coalition's members", "member": "as states",
                     "contributor_rows": "; ".join(f"{r.state_name} {r.event_date:%Y-%m}: {r.exit_type}/"
                                                   f"{r.partners_objected}" + (" (primary)" if r.defected else " (broad)")
                                                   for r in sel.itertuples()),
                     "defected": int(sel["defected"].sum()), "defected_broad": int(sel["defected_broad"].sum()),
                     "note": "the paper names no state; the file's defections under the primary rule and the broad "
                             "variant"})
    return pd.DataFrame(rows)


def build() -> None:
    table = cases_table()
    notes = ["Resnick (2015): the smart-power cases of data/raw/smartpower_cases.csv set in these wars. Resnick (2013): "
             "'both of these US-led alliances have been riven by ... even premature alliance defections' (lines "
             "677-679). member: yes, no, or 'as states' (NATO, and the coalitions' members as a whole). defected / "
             "defected_broad: the rule's verdicts (replication/panel/exits.py) on the rows listed."]
    _io.write_table(table, paths.tables_dir() / "coalition_2001_cases", label="tab:coalition_2001_cases",
                    caption="The papers' cases in Afghanistan and Iraq against the contributor rows", notes=notes)
    print(table.drop(columns=["contributor_rows"]).to_string(index=False))
