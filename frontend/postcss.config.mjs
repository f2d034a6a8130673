// Tailwind 4: the PostCSS plugin lives in its own package; the theme is configured in CSS (@theme).
const config = {
  plugins: {
    "@tailwindcss/postcss": {},
  },
};

export default config;
