// Click on the photo in the image admin to set its focal point; the numeric
// fields (focal_x, focal_y) stay the source of truth and work with the keyboard.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const picker = document.querySelector(".focal-point-picker");
  const fieldX = document.getElementById("id_focal_x");
  const fieldY = document.getElementById("id_focal_y");
  if (!picker || !fieldX || !fieldY) return;
  const marker = picker.querySelector(".focal-point-marker");
  const image = picker.querySelector("img");
  const show = () => {
    marker.style.left = `${fieldX.value}%`;
    marker.style.top = `${fieldY.value}%`;
  };
  image.addEventListener("click", (event) => {
    const box = image.getBoundingClientRect();
    const clamp = (value) => Math.max(0, Math.min(100, Math.round(value)));
    fieldX.value = clamp(((event.clientX - box.left) / box.width) * 100);
    fieldY.value = clamp(((event.clientY - box.top) / box.height) * 100);
    show();
  });
  fieldX.addEventListener("input", show);
  fieldY.addEventListener("input", show);
  show();
});
