package dev.webinfra.lab;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.parallel.ResourceLock;

/**
 * An IT class of the second stream, which runs beside the shared lab's classes: concurrent with
 * them, and holding {@link LabClassOrder#SECOND_STREAM}, so that the stream's classes run one at a
 * time, each with its methods in order in one thread (a class-level resource lock keeps them there;
 * {@code @Execution} alone would run them concurrently too). For the test bed's class, the classes
 * with a small lab of their own or none, and those of the stream's own ha-cluster. {@link
 * LabExtension} sees each of them start, so that the stream's ha-cluster goes down when a class
 * without it starts, whether or not that class has a {@link LabTest} lab.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(LabExtension.class)
@Execution(ExecutionMode.CONCURRENT)
@ResourceLock(LabClassOrder.SECOND_STREAM)
public @interface SecondStream {}
