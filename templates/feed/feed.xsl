<?xml version="1.0" encoding="utf-8"?>
<!-- What a browser shows for atom.xml, rss.xml and the archive pages: the publication's
     title, what a feed is with its address to copy, and the entries. `herald build` writes
     it as feed.xsl, the labels (labels/LANG.yml) and the language tag filled in
     (as XML text: no label goes into an attribute, where XSLT reads braces), the
     publication's subscribe page and feed.css, which the feeds' HTML pages (feed.html)
     share. Colours and fonts are the digest's (templates/header.html.mustache). -->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:atom="http://www.w3.org/2005/Atom" exclude-result-prefixes="atom">
<xsl:output method="html" encoding="utf-8" doctype-system="about:legacy-compat" indent="no"/>

<xsl:variable name="title"><xsl:call-template name="text"><xsl:with-param name="node" select="/atom:feed/atom:title | /rss/channel/title"/></xsl:call-template></xsl:variable>
<xsl:variable name="description"><xsl:call-template name="text"><xsl:with-param name="node" select="/atom:feed/atom:subtitle | /rss/channel/description"/></xsl:call-template></xsl:variable>
<xsl:variable name="site" select="/atom:feed/atom:link[@rel='alternate']/@href | /rss/channel/link"/>
<!-- An archive page points at the feed to subscribe to (rel="current"); a feed at itself. -->
<xsl:variable name="address">
  <xsl:choose>
    <xsl:when test="/atom:feed/atom:link[@rel='current'] | /rss/channel/atom:link[@rel='current']">
      <xsl:value-of select="/atom:feed/atom:link[@rel='current']/@href | /rss/channel/atom:link[@rel='current']/@href"/>
    </xsl:when>
    <xsl:otherwise>
      <xsl:value-of select="/atom:feed/atom:link[@rel='self']/@href | /rss/channel/atom:link[@rel='self']/@href"/>
    </xsl:otherwise>
  </xsl:choose>
</xsl:variable>

<xsl:template match="/">
<html lang="{{language}}">
<head>
<meta charset="utf-8"/>
<meta name="viewport" content="width=device-width, initial-scale=1"/>
<meta name="robots" content="noindex"/>
<title><xsl:value-of select="$title"/> · {{labels.feed}}</title>
<style>
{{{style}}}
</style>
</head>
<body>
<main>
<header>
<a class="masthead" href="{$site}"><xsl:value-of select="$title"/></a>
<xsl:if test="$description != '' and $description != $title">
<p class="tagline"><xsl:value-of select="$description"/></p>
</xsl:if>
</header>
<section class="about" id="about">
<h1>{{labels.feed_notice_title}}</h1>
<p id="explanation">{{labels.feed_notice}}</p>
<label for="address">{{labels.feed_address}}</label>
<div class="copy">
<input id="address" type="url" readonly="readonly" value="{$address}"/>
<button type="button" id="copy">{{labels.feed_copy}}</button>
</div>
<span id="copied" hidden="hidden">{{labels.feed_copied}}</span>
<p class="digest"><a id="subscribe"><xsl:attribute name="href">{{subscribe}}</xsl:attribute>{{labels.feed_subscribe_email}}</a></p>
</section>
<section id="entries">
<h2>{{labels.feed_recent}}</h2>
<xsl:apply-templates select="/atom:feed/atom:entry | /rss/channel/item"/>
</section>
<footer><a href="{$site}">{{labels.feed_visit_site}}</a></footer>
</main>
<script><![CDATA[
(function () {
  var button = document.getElementById('copy'), field = document.getElementById('address');
  function copied() { button.textContent = document.getElementById('copied').textContent; }
  function fallback() { field.select(); if (document.execCommand('copy')) copied(); }
  button.addEventListener('click', function () {
    if (navigator.clipboard && window.isSecureContext) navigator.clipboard.writeText(field.value).then(copied, fallback);
    else fallback();
  });
})();
]]></script>
</body>
</html>
</xsl:template>

<xsl:template match="atom:entry">
<article class="entry">
<h3><a href="{atom:link[@rel='alternate']/@href}"><xsl:call-template name="text"><xsl:with-param name="node" select="atom:title"/></xsl:call-template></a></h3>
<p class="meta"><time datetime="{atom:published}"><xsl:value-of select="substring(atom:published, 1, 10)"/></time></p>
<xsl:if test="atom:summary">
<p class="summary"><xsl:call-template name="text"><xsl:with-param name="node" select="atom:summary"/></xsl:call-template></p>
</xsl:if>
</article>
</xsl:template>

<xsl:template match="item">
<article class="entry">
<h3><a href="{link}"><xsl:value-of select="normalize-space(title)"/></a></h3>
<!-- RFC 822 "Fri, 14 Mar 2025 09:00:00 +0800" as 2025-03-14, the date the Atom page shows:
     no month name in one language on a page in another. -->
<xsl:variable name="month" select="string-length(substring-before('JanFebMarAprMayJunJulAugSepOctNovDec', substring(pubDate, 9, 3))) div 3 + 1"/>
<xsl:variable name="date" select="concat(substring(pubDate, 13, 4), '-', format-number($month, '00'), '-', substring(pubDate, 6, 2))"/>
<p class="meta"><time datetime="{$date}"><xsl:value-of select="$date"/></time></p>
<xsl:if test="normalize-space(description) != ''">
<p class="summary"><xsl:call-template name="text"><xsl:with-param name="node" select="description"/><xsl:with-param name="html" select="true()"/></xsl:call-template></p>
</xsl:if>
</article>
</xsl:template>

<!-- Text as the reader wrote it. Herald's HTML titles and summaries are plain text
     HTML-escaped (an Atom title with "<" or "&" is type="html"), so undoing the five escapes gives
     it back; disable-output-escaping would be shorter, but browsers ignore it. -->
<xsl:template name="text">
<xsl:param name="node"/>
<xsl:param name="html" select="$node/@type = 'html'"/>
<xsl:choose>
<xsl:when test="$html"><xsl:call-template name="unescape"><xsl:with-param name="s" select="normalize-space($node)"/></xsl:call-template></xsl:when>
<xsl:otherwise><xsl:value-of select="normalize-space($node)"/></xsl:otherwise>
</xsl:choose>
</xsl:template>

<xsl:template name="unescape">
<xsl:param name="s"/>
<xsl:choose>
<xsl:when test="contains($s, '&amp;')">
<xsl:value-of select="substring-before($s, '&amp;')"/>
<xsl:variable name="rest" select="substring-after($s, '&amp;')"/>
<xsl:choose>
<xsl:when test="starts-with($rest, 'lt;')">&lt;<xsl:call-template name="unescape"><xsl:with-param name="s" select="substring($rest, 4)"/></xsl:call-template></xsl:when>
<xsl:when test="starts-with($rest, 'gt;')">&gt;<xsl:call-template name="unescape"><xsl:with-param name="s" select="substring($rest, 4)"/></xsl:call-template></xsl:when>
<xsl:when test="starts-with($rest, 'amp;')">&amp;<xsl:call-template name="unescape"><xsl:with-param name="s" select="substring($rest, 5)"/></xsl:call-template></xsl:when>
<xsl:when test="starts-with($rest, 'quot;')">"<xsl:call-template name="unescape"><xsl:with-param name="s" select="substring($rest, 6)"/></xsl:call-template></xsl:when>
<xsl:when test="starts-with($rest, '#39;')">'<xsl:call-template name="unescape"><xsl:with-param name="s" select="substring($rest, 5)"/></xsl:call-template></xsl:when>
<xsl:otherwise>&amp;<xsl:call-template name="unescape"><xsl:with-param name="s" select="$rest"/></xsl:call-template></xsl:otherwise>
</xsl:choose>
</xsl:when>
<xsl:otherwise><xsl:value-of select="$s"/></xsl:otherwise>
</xsl:choose>
</xsl:template>
</xsl:stylesheet>
