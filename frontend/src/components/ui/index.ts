export { Alert } from "./Alert";
export { Badge } from "./Badge";
export { Button, buttonClasses, type ButtonProps } from "./Button";
export { Card, CardBody, CardHeader } from "./Card";
export { EmptyState } from "./EmptyState";
export { Field, TextField, type FieldControlProps } from "./Field";
export { Input, Select } from "./Input";
export { Spinner } from "./Spinner";
export { cx } from "./cx";
