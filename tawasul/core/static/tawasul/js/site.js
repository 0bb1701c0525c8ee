// Tawasul's first-party script. Pages work without it; it only enhances.
document.documentElement.classList.add("js");
