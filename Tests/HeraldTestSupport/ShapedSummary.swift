/// A post whose `<!--more-->` summary holds a heading, a list (with straight quotes, for the
/// typography) and a table: the shapes a summary must keep in the loader, the digest and feeds.
public enum ShapedSummary {
    public static let body = """
        ## 本周要点

        - 发布 "v2.1" 版本
        - 新增 [贡献指南](/docs/contributing/)

        | 项目 | 版本 |
        | --- | --- |
        | runtime | 2.1.0 |
        | 插件市场 | 0.3 |

        <!--more-->

        正文其余部分不进摘要。

        """
}
