/**
 * The component's look. Themable from the page with custom properties (`--notify-*`, set on
 * `notify-inbox` or any ancestor) and `::part()`. Adopted as a constructable stylesheet, which a
 * strict Content-Security-Policy (no `'unsafe-inline'` styles) allows.
 */
export const INBOX_CSS = `
:host{position:relative;display:inline-flex;align-items:center;gap:.5rem;font:var(--notify-font,inherit);color:var(--notify-fg,inherit)}
[hidden]{display:none!important}
button{font:inherit;color:inherit}
ul{list-style:none;margin:0;padding:0}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
[part~=bell]{position:relative;display:inline-flex;align-items:center;justify-content:center;width:var(--notify-bell-size,2.5rem);height:var(--notify-bell-size,2.5rem);padding:0;border:0;border-radius:50%;background:var(--notify-bell-bg,transparent);color:var(--notify-bell-color,currentColor);cursor:pointer}
[part~=bell]:hover{background:var(--notify-bell-hover-bg,rgba(127,127,127,.15))}
:focus-visible{outline:2px solid var(--notify-accent,#2f6feb);outline-offset:2px}
[part~=bell] svg{width:60%;height:60%}
[part~=badge]{position:absolute;top:0;right:0;min-width:1.3em;padding:0 .35em;border-radius:999px;background:var(--notify-badge-bg,#d1242f);color:var(--notify-badge-color,#fff);font-size:.7rem;font-weight:600;line-height:1.3em;text-align:center}
[part~=badge][data-count="0"]{display:none}
[part~=online]{font-size:.85em;opacity:.85}
[part~=panel]{position:absolute;right:0;top:calc(100% + .4rem);z-index:var(--notify-z-index,1000);width:var(--notify-panel-width,24rem);max-width:calc(100vw - 1rem);max-height:var(--notify-panel-max-height,70vh);overflow:auto;background:var(--notify-bg,#fff);color:var(--notify-text,#1f2328);border:1px solid var(--notify-border,#d0d7de);border-radius:var(--notify-radius,8px);box-shadow:var(--notify-shadow,0 8px 24px rgba(0,0,0,.18));text-align:left;font-size:.9rem}
[part~=panel][data-align=start]{left:0;right:auto}
[part~=header]{position:sticky;top:0;z-index:1;display:flex;align-items:center;gap:.5rem;padding:.6rem .8rem;background:inherit;border-bottom:1px solid var(--notify-border,#d0d7de)}
[part~=heading]{flex:1;font-weight:600}
[part~=status]{font-size:.75rem;color:var(--notify-muted,#6a737d)}
[part~=mark-all],[part~=load-more],[part~=feed-more],[part~=action],[part~=dismiss]{padding:.15rem .5rem;border:1px solid var(--notify-border,#d0d7de);border-radius:6px;background:var(--notify-button-bg,#f6f8fa);font-size:.8rem;cursor:pointer}
button:disabled{opacity:.5;cursor:default}
[part~=error]{display:flex;align-items:center;gap:.5rem;padding:.4rem .8rem;background:var(--notify-error-bg,#ffebe9);color:var(--notify-error-color,#82071e);font-size:.8rem}
[part~=error-text]{flex:1;overflow-wrap:anywhere}
[part~=item],[part~=feed-item]{padding:.6rem .8rem;border-bottom:1px solid var(--notify-border,#d0d7de)}
[part~=item]{border-left:3px solid transparent;cursor:pointer}
[part~=item][data-read=false]{background:var(--notify-unread-bg,#eef4ff);border-left-color:var(--notify-accent,#2f6feb)}
[part~=item][data-read=false] [part~=title]{font-weight:600}
[part~=item][data-read=true]{color:var(--notify-muted,#6a737d)}
[part~=item]:focus-visible{outline-offset:-2px}
[part~=item-head],[part~=feed-head]{display:flex;align-items:baseline;gap:.4rem}
[part~=title],[part~=feed-title]{overflow-wrap:anywhere}
[part~=date]{margin-left:auto;white-space:nowrap;font-size:.7rem;color:var(--notify-muted,#6a737d)}
[part~=content],[part~=feed-content]{margin:.25rem 0 0;white-space:pre-wrap;overflow-wrap:anywhere}
[part~=meta]{margin:.2rem 0 0;font-size:.75rem;color:var(--notify-muted,#6a737d);overflow-wrap:anywhere}
[part~=type]{padding:0 .3rem;border-radius:4px;background:var(--notify-type-bg,#ddf4ff);color:var(--notify-type-color,#0969da);font-size:.65rem;text-transform:uppercase;letter-spacing:.04em}
[part~=actions]{display:flex;gap:.35rem;margin-top:.4rem}
[part~=empty]{margin:0;padding:1rem .8rem;color:var(--notify-muted,#6a737d)}
[part~=load-more],[part~=feed-more]{display:block;margin:.5rem auto}
[part~=feed]{border-top:1px solid var(--notify-border,#d0d7de)}
[part~=feed-heading]{margin:0;padding:.5rem .8rem;font-size:.85rem}
`;

let shared: CSSStyleSheet | undefined;

/** Styles `root`: one constructable stylesheet shared by every instance, or a `<style>` where those are missing. */
export function adoptStyles(root: ShadowRoot): void {
  if ('adoptedStyleSheets' in root && typeof CSSStyleSheet === 'function' && 'replaceSync' in CSSStyleSheet.prototype) {
    if (!shared) {
      shared = new CSSStyleSheet();
      shared.replaceSync(INBOX_CSS);
    }
    root.adoptedStyleSheets = [shared];
    return;
  }
  const style = document.createElement('style');
  style.textContent = INBOX_CSS;
  root.append(style);
}
