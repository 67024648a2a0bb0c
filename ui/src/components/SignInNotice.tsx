/** What the app shows when the server refuses it for want of the access token. */
export function SignInNotice() {
  return (
    <section className="sign-in" data-testid="sign-in">
      <h1>Open trawl through its link</h1>
      <p>
        This trawl answers only browsers that came through its link, which carries the access token of its
        data directory. Run <code>trawl app</code>, or open the link <code>trawl serve</code> printed (
        <code>http://127.0.0.1:7878/?token=…</code>).
      </p>
      <p>
        Scripts send the token of <code>$TRAWL_HOME/access-token</code> as{" "}
        <code>Authorization: Bearer &lt;token&gt;</code>.
      </p>
    </section>
  );
}
