/* html-validate rules for the built site: the recommended set, with two choices explained. */
module.exports = {
  extends: ["html-validate:recommended"],
  rules: {
    /* Scrollable tables sit in <div role="region" tabindex="0" aria-label="...">, the usual pattern
       for a keyboard-scrollable area; a <section> would mean the same to a screen reader. */
    "prefer-native-element": ["error", { exclude: ["region"] }],
    /* A page title is its heading plus the site name; we keep the heading whole (it names the council,
       the inspection and its dates), so some titles pass 70 characters. 120 still catches a runaway. */
    "long-title": ["error", { maxlength: 120 }],
  },
};
