"""Many posts of the kind a community weekly publishes, made up on the spot for tests of
scale: mixed Chinese and English, several tags and categories each, offsets in the dates,
and bodies with the Markdown a real post has (headings, lists, links, code, a table).
Deterministic for a seed, so a failure can be replayed."""
import datetime
import json
import random

WORDS_ZH = "周报 社区 版本 发布 会议 回顾 预告 问答 贡献者 文档 性能 插件 集群 网关 配置 测试".split()
WORDS_EN = "release notes meeting agenda plugin gateway cluster config runtime proxy metrics docs".split()
TAGS = ["weekly", "release", "meetup", "问答", "社区", "performance", "docs", "security", "新人", "roadmap"]
CATEGORIES = ["News", "活动", "Engineering"]


def _sentence(rng):
    words = [rng.choice(WORDS_ZH if rng.random() < 0.6 else WORDS_EN) for _ in range(rng.randint(6, 14))]
    return "".join(w if any("\u4e00" <= c <= "\u9fff" for c in w) else f" {w} " for w in words).strip() + "。"


def _body(rng, n):
    parts = [_sentence(rng) + _sentence(rng), f"## {_sentence(rng)[:12]}",
             "\n".join(f"- {_sentence(rng)} [link](https://example.org/{n}/{i})" for i in range(rng.randint(1, 4)))]
    if rng.random() < 0.3:
        parts.append("```go\nfunc main() { fmt.Println(\"<hello> & bye\") }\n```")
    if rng.random() < 0.2:
        parts.append("| name | value |\n|---|---|\n| a | 1 |\n| 中文 | 二 |")
    parts.append(_sentence(rng))
    return "\n\n".join(parts)


def write(folder, count, seed=1):
    """Writes `count` posts into folder/posts; returns the set of tags used."""
    rng = random.Random(seed)
    posts = folder / "posts"
    posts.mkdir(parents=True, exist_ok=True)
    start = datetime.datetime(2019, 1, 4, 9, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=8)))
    used = set()
    for n in range(count):
        tags = rng.sample(TAGS, rng.randint(1, 3))
        used |= set(tags)
        date = start + datetime.timedelta(hours=7 * n, minutes=rng.randint(0, 59))
        front = ["---", f"title: {json.dumps(f'第 {n} 期 Weekly #{n}: ' + _sentence(rng)[:10], ensure_ascii=False)}",
                 f"slug: weekly-{n}", f"date: {date.isoformat()}", f"tags: {json.dumps(tags, ensure_ascii=False)}",
                 f"categories: {json.dumps([rng.choice(CATEGORIES)], ensure_ascii=False)}", "---"]
        (posts / f"{n:05d}-weekly.md").write_text("\n".join(front) + "\n" + _body(rng, n) + "\n", encoding="utf-8")
    return used
