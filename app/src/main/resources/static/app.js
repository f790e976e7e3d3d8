// Served by nginx from disk: counts down the characters left in the message box.
document.addEventListener("DOMContentLoaded", () => {
  const box = document.querySelector("textarea[name=message]");
  if (!box) return;
  const left = document.createElement("small");
  box.after(left);
  const update = () => { left.textContent = (500 - box.value.length) + " characters left"; };
  box.addEventListener("input", update);
  update();
});
