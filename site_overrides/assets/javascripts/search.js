/* Search that answers the questions readers type ("who approves a model release").
 *
 * Material's search matches every word of a query as the start of a word, and such a word
 * skips lunr's stop-word filter; nor is the index stemmed: "a" matches "Analyst" and "AI",
 * "who" matches "whom", "approves" misses "approved" and "release?" matches nothing. Before a
 * query reaches Material's search worker, each of its words is rewritten in lunr's syntax:
 *
 * - a stop-word, or a word of up to three letters ("a", "on", "AI", "act"), matches only a
 *   whole word (lunr then drops the stop-words);
 * - any longer word matches itself, or, from the start its forms share, a longer word: so
 *   "approves" finds "approved", and a word still being typed finds what it begins.
 *
 * Words the reader wrote in lunr's syntax ("+model", "title:x", "feat*") are left as written.
 */
(function () {
  "use strict";
  var QUERY = 2; // Material's SearchMessageType.QUERY
  var STOP_WORDS = new Set((
    "a able about across after all almost also am among an and any are as at be because been " +
    "but by can cannot could dear did do does either else ever every for from get got had has " +
    "have he her hers him his how however i if in into is it its just least let like likely " +
    "may me might most must my neither no nor not of off often on only or other our own " +
    "rather said say says she should since so some than that the their them then there these " +
    "they this tis to too twas us wants was we were what when where which while who whom why " +
    "will with would yet you your"
  ).split(" "));
  var SYNTAX = /^[+-]|[:*~^"]/;

  // The start every form of a word shares, roughly: "approves", "approved" and "approval"
  // all begin with "approv". The index is not stemmed, so a query's word is matched as it is
  // and, with Material's wildcard, as this start of a longer word.
  function stem(word) {
    var start = word.replace(/(?:ies|es|s|ed|ing|ion|ions|al|e|y)$/i, "");
    return start.length >= 4 ? start : word;
  }

  function rewrite(query) {
    if (query.indexOf('"') !== -1) return query; // a phrase: Material requires all its words
    var words = [];
    query.split(/[\s-]+/).forEach(function (written) {
      if (SYNTAX.test(written)) {
        words.push(written);
        return;
      }
      var word = written.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, "");
      if (!word) return;
      if (word.length <= 3 || STOP_WORDS.has(word.toLowerCase())) {
        words.push(word + "^1"); // a boost is the one mark that stops Material's wildcard
      } else {
        words.push(stem(word)); // each word weighs the same, found once
      }
    });
    return words.join(" ");
  }

  var post = Worker.prototype.postMessage;
  Worker.prototype.postMessage = function (message) {
    var args = Array.prototype.slice.call(arguments);
    if (message && message.type === QUERY && typeof message.data === "string") {
      args[0] = { type: QUERY, data: rewrite(message.data) };
    }
    return post.apply(this, args);
  };
})();
