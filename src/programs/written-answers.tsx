/**
 * Written answers read back (a submitted review, a full proposal): each question as a heading, then its answer as
 * the person wrote it, line breaks kept, or a note that it has no answer yet.
 */
export function WrittenAnswers({
  questions,
  answers,
  level = 3,
}: {
  questions: readonly { name: string; label: string }[];
  answers: Readonly<Record<string, string | undefined>>;
  level?: 3 | 4;
}) {
  const Heading = level === 3 ? 'h3' : 'h4';
  return (
    <>
      {questions.map((question) => (
        <div key={question.name} class="review-answer">
          <Heading>{question.label}</Heading>
          <p class="pre-line">{answers[question.name] || <span class="muted">Not answered yet.</span>}</p>
        </div>
      ))}
    </>
  );
}
