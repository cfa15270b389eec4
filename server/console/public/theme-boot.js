// Runs before the first paint (a plain script, so the Content-Security-Policy needs no inline script):
// applies the theme the person chose in the console ("light", "dark"; otherwise the system's).
try {
  var theme = localStorage.getItem('tollgate.theme');
  if (theme === 'light' || theme === 'dark') document.documentElement.dataset.theme = theme;
} catch {
  // No storage (a locked-down browser): the system's theme.
}
